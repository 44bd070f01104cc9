using ArcBridgeDashboard.Probes.Catalog;
using ArcBridgeDashboard.Web.Configuration;
using ArcBridgeDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ArcBridgeDashboard.Web.Catalog;

/// <summary>
/// First start: imports the shipped catalog so the dashboard works offline. After an upgrade that ships a newer
/// allowlist, a database still on the shipped (not an imported) version moves to the new one, history kept.
/// Also applies the configured built-in agent role.
/// </summary>
public sealed partial class CatalogSeeder(IOptions<ArcBridgeOptions> options, TimeProvider time, ILogger<CatalogSeeder> logger) : IStartupSeeder
{
    public const string DefaultSource = "default";

    public async Task SeedAsync(ArcBridgeDbContext db, CancellationToken cancellationToken)
    {
        var builtIn = await db.Agents.SingleAsync(a => a.Id == Agent.BuiltInId, cancellationToken);
        builtIn.Role = options.Value.BuiltInAgentRole;
        await db.SaveChangesAsync(cancellationToken);

        var snapshot = DefaultCatalog.Load();
        var active = await db.CatalogVersions.AsNoTracking().Where(v => v.IsActive).Select(v => new { v.Version, v.Source }).FirstOrDefaultAsync(cancellationToken);
        var anyVersion = active is not null || await db.CatalogVersions.AnyAsync(cancellationToken);
        var shippedIsNewer = active is { Source: DefaultSource } && string.CompareOrdinal(active.Version, snapshot.Version) < 0;
        if (anyVersion && !shippedIsNewer)
            return;
        var importer = new CatalogImportService(db, options, time);
        await importer.ActivateAsync(snapshot, DefaultSource, DefaultCatalog.ReadEmbeddedMarkdown(), cancellationToken);
        var endpoints = await db.Endpoints.CountAsync(e => e.CatalogVersion!.IsActive, cancellationToken);
        var targets = await db.Targets.CountAsync(t => t.RetiredAt == null && t.Endpoint!.CatalogVersion!.IsActive, cancellationToken);
        LogSeeded(snapshot.Version, active?.Version ?? "none", endpoints, targets);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Activated the built-in catalog {Version} (was {Previous}): {EndpointCount} endpoints, {TargetCount} targets")]
    private partial void LogSeeded(string version, string previous, int endpointCount, int targetCount);
}
