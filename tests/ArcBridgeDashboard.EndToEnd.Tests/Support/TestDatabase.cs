using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Catalog;
using ArcBridgeDashboard.Web.Configuration;
using ArcBridgeDashboard.Web.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ArcBridgeDashboard.EndToEnd.Tests.Support;

/// <summary>
/// Prepares the dashboard's database file before the process starts: migrated, holding only loopback endpoints
/// (so the default catalog with real Internet names is never seeded or swept), and the test root set as expected
/// and trusted root. Adapted from Web.Tests' TestDatabase.
/// </summary>
public static class TestDatabase
{
    public static ArcBridgeDbContext Open(string path) => new(new DbContextOptionsBuilder<ArcBridgeDbContext>()
        .UseSqlite(DataExtensions.BuildConnectionString(path)).Options);

    /// <summary>Creates the file; returns the probe target key of each endpoint's single target, by service name.</summary>
    public static async Task<IReadOnlyDictionary<string, (int EndpointId, string TargetKey)>> CreateAsync(
        string path, string rootPem, int phaseTimeoutSeconds, params CatalogEndpoint[] endpoints)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using (var db = Open(path))
        {
            await db.Database.MigrateAsync();
            var now = DateTimeOffset.UtcNow;
            // As CatalogImportService.NewVersion (internal to the web app) builds an imported version.
            var version = new CatalogVersion
            {
                Version = "e2e",
                Source = "e2e",
                ImportedAt = now,
                IsActive = true,
                RawMarkdown = "",
                Endpoints = [.. endpoints.Select(e => new MonitoredEndpoint
                {
                    Key = e.Key, Service = e.Service, Port = e.Port, Protocol = e.Protocol, HostPattern = e.HostPattern,
                    Sources = e.Sources, Purpose = e.Purpose, Origin = e.Origin, Note = e.Note, BypassProxy = e.BypassProxy,
                })],
            };
            CatalogTargetSync.ApplyExpansion(version.Endpoints, new ProbeSettings(), now);
            db.CatalogVersions.Add(version);
            await db.SaveChangesAsync();

            var store = new DashboardSettingsStore(db, Options.Create(new ArcBridgeOptions()), TimeProvider.System);
            var errors = await store.SaveAsync(new DashboardSettings
            {
                ExpectedRootsPem = rootPem,
                TrustedRootsPem = rootPem,
                PhaseTimeoutSeconds = phaseTimeoutSeconds,
                // Hourly, like the process's first-sweep delay: no scheduled sweep interferes with Check now.
                IntervalMinutes = 60,
            });
            if (errors.Count > 0)
                throw new InvalidOperationException("Test settings rejected: " + string.Join("; ", errors.Select(e => e.Message)));
        }
        Dictionary<string, (int, string)> keys;
        await using (var db = Open(path))
        {
            keys = await db.Targets.AsNoTracking().Include(t => t.Endpoint)
                .ToDictionaryAsync(t => t.Endpoint!.Service, t => (t.EndpointId, t.Key));
        }
        // The dashboard process opens the file next; no pooled connection of ours may hold it.
        SqliteConnection.ClearAllPools();
        return keys;
    }

    public static CatalogEndpoint Loopback(string service, int port) => new()
    {
        Service = service,
        Port = port,
        Protocol = TransportProtocol.Tcp,
        HostPattern = "127.0.0.1",
        Sources = Sources.ManagementMachine,
        Purpose = "loopback test target",
    };
}
