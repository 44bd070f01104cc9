using ArcBridgeDashboard.Probes.Contracts;

namespace ArcBridgeDashboard.Probes.Catalog;

/// <summary>Turns catalog endpoints into concrete probe targets for a region; unexpandable wildcards become "needs a hostname" targets.</summary>
public static class TargetExpander
{
    public static IReadOnlyList<ProbeTarget> Expand(IEnumerable<CatalogEndpoint> endpoints, ProbeSettings settings)
        => throw new NotImplementedException("issue 2: catalog helper");
}
