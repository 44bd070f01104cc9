using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Testing;
using ArcBridgeDashboard.Web.Catalog;
using ArcBridgeDashboard.Web.Configuration;
using ArcBridgeDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace ArcBridgeDashboard.Web.Tests.Support;

/// <summary>
/// Prepares a database before the app starts: migrated (to the latest or a named migration) and, when asked,
/// holding a loopback-only catalog, so the app never seeds (or probes) the real Internet endpoints. A database is
/// named by <see cref="ArcBridgeAppFactory.Database"/>: a SQLite file path, or a PostgreSQL connection string.
/// </summary>
public static class TestDatabase
{
    /// <summary>
    /// The PostgreSQL template every test database is copied from (CREATE DATABASE … TEMPLATE): the PostgreSQL
    /// migrations applied once per test process, not once per test. The app still migrates at startup and finds them applied.
    /// </summary>
    public static string PostgreSqlTemplate =>
        PostgresServer.Shared.Template("arcbridge_template", database => Task.Run(() => MigrateAsync(database)).GetAwaiter().GetResult());

    /// <summary>
    /// A migrated database of a test's own, with no app: a new SQLite file (<paramref name="fileName"/>) in a new temp
    /// folder, or a copy of the PostgreSQL template. <see cref="Delete"/> it when done.
    /// </summary>
    public static string CreateScratch(DatabaseProvider provider, string fileName) => provider == DatabaseProvider.PostgreSql
        ? PostgresServer.Shared.CreateDatabase(PostgreSqlTemplate)
        : Path.Combine(Path.GetTempPath(), "arcbridge-tests", Guid.NewGuid().ToString("N"), fileName);

    /// <summary>Lets go of a <see cref="CreateScratch"/> database: its SQLite folder is deleted; a PostgreSQL one goes with the test server.</summary>
    public static void Delete(string database)
    {
        if (IsPostgreSql(database))
        {
            using var connection = new Npgsql.NpgsqlConnection(database);
            Npgsql.NpgsqlConnection.ClearPool(connection);
            return;
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Path.GetDirectoryName(database)!, recursive: true);
    }

    public static bool IsPostgreSql(string database) => database.StartsWith("Host=", StringComparison.Ordinal);

    /// <summary>A context of the provider's own type (so it sees that provider's migrations).</summary>
    public static ArcBridgeDbContext Open(string database) => IsPostgreSql(database)
        ? new PostgreSqlArcBridgeDbContext(new DbContextOptionsBuilder<PostgreSqlArcBridgeDbContext>().UseNpgsql(database).Options)
        : new ArcBridgeDbContext(new DbContextOptionsBuilder<ArcBridgeDbContext>().UseSqlite(DataExtensions.BuildConnectionString(database)).Options);

    public static async Task MigrateAsync(string database, string? targetMigration = null)
    {
        if (!IsPostgreSql(database))
            Directory.CreateDirectory(Path.GetDirectoryName(database)!);
        await using var db = Open(database);
        await db.Database.MigrateAsync(targetMigration);
    }

    /// <summary>A migrated file whose active catalog holds only the given loopback endpoints (expanded to targets).</summary>
    public static Task CreateWithCatalogAsync(string database, params CatalogEndpoint[] endpoints) => CreateWithCatalogAsync(database, null, endpoints);

    /// <param name="targetMigration">Migrate only up to this one (a database as an older version left it).</param>
    public static async Task CreateWithCatalogAsync(string database, string? targetMigration, params CatalogEndpoint[] endpoints)
    {
        await MigrateAsync(database, targetMigration);
        await using var db = Open(database);
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

/// <summary>Runs a theory once per database provider (the test takes a <see cref="DatabaseProvider"/>).</summary>
public sealed class BothProvidersAttribute : Xunit.Sdk.DataAttribute
{
    public override IEnumerable<object[]> GetData(System.Reflection.MethodInfo testMethod)
        => [[DatabaseProvider.Sqlite], [DatabaseProvider.PostgreSql]];
}
