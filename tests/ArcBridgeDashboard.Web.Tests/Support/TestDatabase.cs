using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Catalog;
using ArcBridgeDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace ArcBridgeDashboard.Web.Tests.Support;

/// <summary>
/// Prepares a database file before the app starts: migrated (to the latest or a named migration) and, when
/// asked, holding a loopback-only catalog, so the app never seeds (or probes) the real Internet endpoints.
/// </summary>
public static class TestDatabase
{
    public static ArcBridgeDbContext Open(string path) => new(new DbContextOptionsBuilder<ArcBridgeDbContext>()
        .UseSqlite(DataExtensions.BuildConnectionString(path)).Options);

    public static async Task MigrateAsync(string path, string? targetMigration = null)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using var db = Open(path);
        await db.Database.MigrateAsync(targetMigration);
    }

    /// <summary>A migrated file whose active catalog holds only the given loopback endpoints (expanded to targets).</summary>
    public static async Task CreateWithCatalogAsync(string path, params CatalogEndpoint[] endpoints)
    {
        await MigrateAsync(path);
        await using var db = Open(path);
        var now = DateTimeOffset.UtcNow;
        var version = new CatalogVersion
        {
            Version = "test", Source = "test", ImportedAt = now, IsActive = true,
            Endpoints = [.. endpoints.Select(e => new MonitoredEndpoint
            {
                Cloud = e.Cloud, Key = e.Key, Service = e.Service, Port = e.Port, Protocol = e.Protocol, HostPattern = e.HostPattern,
                Sources = e.Sources, Purpose = e.Purpose, Origin = e.Origin, Note = e.Note, BypassProxy = e.BypassProxy,
            })],
        };
        CatalogTargetSync.ApplyExpansion(version.Endpoints, new ProbeSettings(), now);
        db.CatalogVersions.Add(version);
        await db.SaveChangesAsync();
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
