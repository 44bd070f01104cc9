using ArcBridgeDashboard.Probes.Catalog;
using ArcBridgeDashboard.Probes.Contracts;

namespace ArcBridgeDashboard.Agent.Check;

public enum ReportFormat
{
    Table,
    Json,
    Markdown,
}

/// <summary>A validated check: what to probe, how, and how to report it.</summary>
public sealed record CheckPlan(
    ProbeSettings Settings,
    CatalogSnapshot Catalog,
    Sources Role,
    ReportFormat Format,
    Uri? BlobRegistry)
{
    /// <summary>Where to write the intercepting root as one PEM certificate when TLS inspection is seen; null: nowhere.</summary>
    public string? SaveInspectionRoot { get; init; }

    /// <summary>False: the catalog's default revocation servers are left out; those the chains name are still probed.</summary>
    public bool RevocationDefaults { get; init; } = true;

    /// <summary>Both sources when no role was given.</summary>
    public bool Includes(Sources sources) => (sources & Role) != 0;
}
