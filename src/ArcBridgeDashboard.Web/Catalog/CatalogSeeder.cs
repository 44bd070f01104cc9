using ArcBridgeDashboard.Probes.Catalog;
using ArcBridgeDashboard.Web.Configuration;
using ArcBridgeDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ArcBridgeDashboard.Web.Catalog;

/// <summary>First start: imports the shipped catalog so the dashboard works offline. Also applies the configured built-in agent role.</summary>
public sealed partial class CatalogSeeder(IOptions<ArcBridgeOptions> options, TimeProvider time, ILogger<CatalogSeeder> logger) : IStartupSeeder
{
    public async Task SeedAsync(ArcBridgeDbContext db, CancellationToken cancellationToken)
    {
        var builtIn = await db.Agents.SingleAsync(a => a.Id == Agent.BuiltInId, cancellationToken);
        builtIn.Role = options.Value.BuiltInAgentRole;
        await db.SaveChangesAsync(cancellationToken);

        if (await db.CatalogVersions.AnyAsync(cancellationToken))
            return;
        var snapshot = DefaultCatalog.Load();
        var store = new DashboardSettingsStore(db, options, time);
        var settings = await store.GetProbeSettingsAsync(cancellationToken);
        var version = CatalogImportService.NewVersion(snapshot, "default", DefaultCatalog.ReadEmbeddedMarkdown(), time.GetUtcNow());
        CatalogTargetSync.ApplyExpansion(version.Endpoints, settings, time.GetUtcNow());
        db.CatalogVersions.Add(version);
        await db.SaveChangesAsync(cancellationToken);
        LogSeeded(snapshot.Version, version.Endpoints.Count, version.Endpoints.Sum(e => e.Targets.Count));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Imported the default catalog {Version}: {EndpointCount} endpoints, {TargetCount} targets")]
    private partial void LogSeeded(string version, int endpointCount, int targetCount);
}
