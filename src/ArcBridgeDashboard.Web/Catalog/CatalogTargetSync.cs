using ArcBridgeDashboard.Probes.Catalog;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace ArcBridgeDashboard.Web.Catalog;

/// <summary>
/// Keeps the active catalog's targets equal to what <see cref="TargetExpander"/> gives for the current settings.
/// Unchanged targets keep their id (and history); replaced ones are retired, not deleted.
/// </summary>
public static class CatalogTargetSync
{
    public static async Task ReexpandAsync(ArcBridgeDbContext db, ProbeSettings settings, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var endpoints = await db.Endpoints
            .Where(e => e.CatalogVersion!.IsActive)
            .Include(e => e.Targets.Where(t => t.RetiredAt == null))
            .ToListAsync(cancellationToken);
        ApplyExpansion(endpoints, settings, now);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Adds new targets and retires vanished ones on tracked endpoints (targets of each must be loaded).</summary>
    public static void ApplyExpansion(IReadOnlyList<MonitoredEndpoint> endpoints, ProbeSettings settings, DateTimeOffset now)
    {
        var expanded = TargetExpander.Expand(endpoints.Select(e => e.ToContract()), settings)
            .GroupBy(t => t.EndpointKey)
            .ToDictionary(g => g.Key, g => g.DistinctBy(t => t.Key).ToList());
        // Servers learned from certificate chains are not expanded from settings: they stay until retention or a new catalog.
        foreach (var endpoint in endpoints.Where(e => e.HostPattern != ExtraRequirements.CertificateChains))
        {
            // Only the configured cloud is probed; the same host:port in another cloud's table has no targets.
            var wanted = endpoint.Cloud == settings.Cloud ? expanded.GetValueOrDefault(endpoint.Key, []) : [];
            var current = endpoint.Targets.Where(t => t.RetiredAt is null).ToList();
            foreach (var stale in current.Where(c => !wanted.Any(w => Same(w, c))))
                stale.RetiredAt = now;
            foreach (var missing in wanted.Where(w => !current.Any(c => Same(w, c))))
                endpoint.Targets.Add(FromContract(missing));
        }
    }

    private static bool Same(ProbeTarget wanted, Target current) =>
        wanted.Key == current.Key && wanted.Kind == current.Kind && wanted.Sources == current.Sources
        && wanted.ExpansionNote == current.ExpansionNote && wanted.Host == current.Host;

    private static Target FromContract(ProbeTarget t) => new()
    {
        Key = t.Key, Host = t.Host, Port = t.Port, Protocol = t.Protocol, Kind = t.Kind, Sources = t.Sources,
        Required = t.Required, BypassProxy = t.BypassProxy, ExpansionNote = t.ExpansionNote,
    };
}
