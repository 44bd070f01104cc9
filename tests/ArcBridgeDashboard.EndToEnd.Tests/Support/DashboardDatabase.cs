using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Configuration;
using ArcBridgeDashboard.Web.Secrets;
using ArcBridgeDashboard.Web.Tests.Support;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ArcBridgeDashboard.EndToEnd.Tests.Support;

/// <summary>
/// Prepares the dashboard's database file before the process starts: migrated, holding only loopback endpoints
/// (so the default catalog with real Internet names is never seeded or swept), and the test root set as expected
/// and trusted root. Builds on Web.Tests' TestDatabase (linked into this project).
/// </summary>
public static class DashboardDatabase
{
    /// <summary>Creates the file; returns the probe target key of each endpoint's single target, by service name.</summary>
    public static async Task<IReadOnlyDictionary<string, (int EndpointId, string TargetKey)>> CreateAsync(
        string path, string rootPem, int phaseTimeoutSeconds, params CatalogEndpoint[] endpoints)
        => await CreateAsync(path, rootPem, phaseTimeoutSeconds, gateway: null, endpoints);

    /// <param name="gateway">The Arc gateway URL saved in Settings; null: none.</param>
    public static async Task<IReadOnlyDictionary<string, (int EndpointId, string TargetKey)>> CreateAsync(
        string path, string rootPem, int phaseTimeoutSeconds, string? gateway, params CatalogEndpoint[] endpoints)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await TestDatabase.CreateWithCatalogAsync(path, endpoints);
        await using (var db = TestDatabase.Open(path))
        {
            var store = new DashboardSettingsStore(db, new SecretProtector(new EphemeralDataProtectionProvider()), Options.Create(new ArcBridgeOptions()), TimeProvider.System);
            var errors = await store.SaveAsync(new DashboardSettings
            {
                ExpectedRootsPem = rootPem,
                TrustedRootsPem = rootPem,
                PhaseTimeoutSeconds = phaseTimeoutSeconds,
                // Hourly, like the process's first-sweep delay: no scheduled sweep interferes with Check now.
                IntervalMinutes = 60,
                Gateway = gateway,
            });
            if (errors.Count > 0)
                throw new InvalidOperationException("Test settings rejected: " + string.Join("; ", errors.Select(e => e.Message)));
        }
        Dictionary<string, (int, string)> keys;
        await using (var db = TestDatabase.Open(path))
        {
            keys = await db.Targets.AsNoTracking().Include(t => t.Endpoint)
                .ToDictionaryAsync(t => t.Endpoint!.Service, t => (t.EndpointId, t.Key));
        }
        // The dashboard process opens the file next; no pooled connection of ours may hold it.
        SqliteConnection.ClearAllPools();
        return keys;
    }
}
