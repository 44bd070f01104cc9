using System.Net;
using ArcBridgeDashboard.Probes.Catalog;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace ArcBridgeDashboard.Bench.Seed;

/// <summary>Seeded identities the history generator writes results for.</summary>
public sealed record SeedTarget(int Id, string Host, ProbeKind Kind, int EndpointId);
public sealed record SeedAgent(int Id, string Name, Sources Role);

/// <summary>
/// Creates the database with the dashboard's own DbContext and committed migrations (so the bench never drifts from the
/// real schema), then adds the default catalog, its expanded targets and the agents through EF. Bulk history is raw SQL.
/// </summary>
public static class SchemaBootstrap
{
    /// <summary>The bench names a PostgreSQL database by its connection string, a SQLite one by its path.</summary>
    public static bool IsPostgreSql(string database) => database.StartsWith("Host=", StringComparison.OrdinalIgnoreCase);

    /// <param name="database">A SQLite file, or a PostgreSQL connection string (<see cref="IsPostgreSql"/>): the app's PostgreSQL context and migrations.</param>
    public static async Task<(IReadOnlyList<SeedAgent> Agents, IReadOnlyList<SeedTarget> Targets)> CreateAsync(
        string database, int agentCount, int targetCount, DateTimeOffset createdAt)
    {
        await using ArcBridgeDbContext db = IsPostgreSql(database)
            ? new PostgreSqlArcBridgeDbContext(new DbContextOptionsBuilder<PostgreSqlArcBridgeDbContext>().UseNpgsql(database).Options)
            : new ArcBridgeDbContext(new DbContextOptionsBuilder<ArcBridgeDbContext>().UseSqlite(DataExtensions.BuildConnectionString(database)).Options);
        await db.Database.MigrateAsync();

        var snapshot = DefaultCatalog.Load();
        var version = new CatalogVersion
        {
            Version = snapshot.Version, ImportedAt = createdAt, Source = "default", IsActive = true,
            RawMarkdown = DefaultCatalog.ReadEmbeddedMarkdown(),
        };
        db.CatalogVersions.Add(version);
        // Documentation addresses (TEST-NET) only: these are stored strings, nothing is ever sent to them.
        var settings = new ProbeSettings
        {
            Region = "eastus",
            DnsServers = [IPEndPoint.Parse("192.0.2.53:53")],
            ApplianceVmIps = ["192.0.2.10", "192.0.2.11"],
            ControlPlaneIp = "192.0.2.20",
        };
        var endpoints = new Dictionary<string, MonitoredEndpoint>();
        // The catalog holds both clouds (one identity each: cloud + key); the seeded site is in Azure Cloud.
        var cloudEndpoints = snapshot.Endpoints.Where(e => e.Cloud == Cloud.AzureCloud).ToList();
        foreach (var endpoint in cloudEndpoints)
        {
            var entity = new MonitoredEndpoint
            {
                Cloud = endpoint.Cloud, Key = endpoint.Key, Service = endpoint.Service, Port = endpoint.Port, Protocol = endpoint.Protocol,
                HostPattern = endpoint.HostPattern, Sources = endpoint.Sources, Purpose = endpoint.Purpose,
                Origin = endpoint.Origin, Note = endpoint.Note, BypassProxy = endpoint.BypassProxy,
            };
            version.Endpoints.Add(entity);
            endpoints[endpoint.Key] = entity;
        }
        var expanded = TargetExpander.Expand(cloudEndpoints, settings).Where(t => t.Host is not null)
            .DistinctBy(t => t.Key).Take(targetCount).ToList();
        var targets = new List<Target>();
        foreach (var target in expanded)
        {
            var entity = new Target
            {
                Key = target.Key, Host = target.Host, Port = target.Port, Protocol = target.Protocol, Kind = target.Kind,
                Sources = target.Sources, Required = target.Required, BypassProxy = target.BypassProxy,
                ExpansionNote = target.ExpansionNote,
            };
            endpoints[target.EndpointKey].Targets.Add(entity);
            targets.Add(entity);
        }

        for (var i = 2; i <= agentCount; i++)
        {
            db.Agents.Add(new Agent
            {
                Name = $"agent-{i:00}", Role = i % 2 == 0 ? Sources.ManagementMachine : Sources.ApplianceVm,
                Version = "1.0.0", Os = "linux", CreatedAt = createdAt, LastSeenAt = createdAt,
            });
        }
        await db.SaveChangesAsync();

        var agents = await db.Agents.OrderBy(a => a.Id).Take(agentCount)
            .Select(a => new SeedAgent(a.Id, a.Name, a.Role)).ToListAsync();
        await db.DisposeAsync();
        // The app's connection string pools connections; the bulk writer needs the file to itself.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Npgsql.NpgsqlConnection.ClearAllPools();
        return (agents, targets.Select(t => new SeedTarget(t.Id, t.Host!, t.Kind, t.EndpointId)).ToList());
    }
}
