using ArcBridgeDashboard.Web.Configuration;
using ArcBridgeDashboard.Web.Data;
using ArcBridgeDashboard.Web.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace ArcBridgeDashboard.Web.Tests.Integration;

// SQLite tests but one: they check the SQLite file (WAL, an upgrade in SQLite's SQL); the PostgreSQL migrations have their own test.
[Collection(DefaultAppCollection.Name)]
public sealed class MigrationTests(DefaultAppFactory app)
{
    private static readonly Dictionary<string, string?> NoSchedule = new() { ["ArcBridge:BuiltInAgentEnabled"] = "false" };

    [Fact]
    public async Task Startup_EmptyFolder_CreatesMigratedWalDatabaseWithDefaultCatalog()
    {
        using var client = app.CreateClient(); // the shared app started on an empty folder, like this

        Assert.True(File.Exists(app.DatabasePath));
        await using var db = app.CreateDbContext();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
        var version = await db.CatalogVersions.SingleAsync(v => v.IsActive);
        Assert.Equal("default", version.Source);
        Assert.NotEmpty(version.RawMarkdown);
        Assert.True(await db.Endpoints.CountAsync() >= 20);
        Assert.Contains(await db.Targets.ToListAsync(), t => t.Host is null); // wildcard rows that need a hostname
        Assert.Equal("built-in", (await db.Agents.SingleAsync(a => a.IsBuiltIn)).Name);
        Assert.Equal("wal", await db.Database.SqlQueryRaw<string>("PRAGMA journal_mode").ToListAsync().ContinueWith(t => t.Result.Single()));
    }

    [Fact]
    public async Task Startup_EmptyPostgreSqlDatabase_AppliesThePostgreSqlMigrationsAndSeedsTheDefaultCatalog()
    {
        // Its own app: a fresh, empty database on the test PostgreSQL server (not the migrated template's copy).
        using var postgres = new ArcBridgeAppFactory(NoSchedule, provider: DatabaseProvider.PostgreSql, emptyDatabase: true);
        using var client = postgres.CreateClient();

        await using var db = postgres.CreateDbContext();
        Assert.IsType<PostgreSqlArcBridgeDbContext>(db); // what every ArcBridgeDbContext consumer gets on PostgreSQL
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        var applied = await db.Database.GetAppliedMigrationsAsync();
        Assert.Equal(db.Database.GetMigrations(), applied);
        // Initial, then (PostgreSQL only, by hand) the results partitioned by day.
        Assert.Equal(["_Initial", "_PartitionResultsByDay"], applied.Select(m => m[m.IndexOf('_', StringComparison.Ordinal)..]));
        // The start made today's results partition and the next three days' (the app's clock: 29 November 2026).
        Assert.Equal(["Results_20261129", "Results_20261130", "Results_20261201", "Results_20261202"], (await ResultPartitions.ListAsync(db, default)).Values);
        Assert.Equal("default", (await db.CatalogVersions.SingleAsync(v => v.IsActive)).Source);
        Assert.True(await db.Endpoints.CountAsync() >= 20);
        Assert.Equal("built-in", (await db.Agents.SingleAsync(a => a.IsBuiltIn)).Name);
        Assert.False(File.Exists(postgres.DatabasePath)); // no SQLite file on the side
        await using (var sqlite = TestDatabase.Open(app.DatabasePath))
            Assert.DoesNotContain(applied.First(), sqlite.Database.GetMigrations()); // each provider has its own Initial
    }

    [Fact]
    /// <summary>
    /// Upgrade machinery for after the first release: a database left at the first migration, with rows, must reach
    /// the newest schema on startup and keep them. Until a second migration exists it proves that startup on a
    /// database with data migrates nothing away and seeds nothing over it.
    /// </summary>
    public async Task Startup_DatabaseAtFirstMigrationWithData_UpgradesAndKeepsRows()
    {
        var directory = Path.Combine(Path.GetTempPath(), "arcbridge-tests", Guid.NewGuid().ToString("N"));
        var path = Path.Combine(directory, "data", "arcbridge.db");
        string first;
        await using (var db = TestDatabase.Open(path))
        {
            first = db.Database.GetMigrations().First();
        }
        await TestDatabase.MigrateAsync(path, first);
        // Rows written with the first schema's columns only (raw SQL: today's model has more).
        await using (var connection = new SqliteConnection($"Data Source={path}"))
        {
            await connection.OpenAsync();
            await using var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO CatalogVersions (Id, Version, ImportedAt, Source, IsActive, RawMarkdown) VALUES (1, 'old', 1700000000000, 'import', 1, '# old');
                INSERT INTO Endpoints (Id, CatalogVersionId, Cloud, Key, Service, Port, Protocol, HostPattern, Sources, Purpose, Origin, Note, BypassProxy, IntervalSeconds)
                  VALUES (1, 1, 0, '127.0.0.1:443/tcp', 'Old service', 443, 0, '127.0.0.1', 1, 'kept', 0, NULL, 0, 600);
                INSERT INTO Targets (Id, EndpointId, Key, Host, Port, Protocol, Kind, Sources, Required, BypassProxy, ExpansionNote, RetiredAt)
                  VALUES (1, 1, '127.0.0.1:443/tcp', '127.0.0.1', 443, 0, 0, 1, 1, 0, 'as published', NULL);
                INSERT INTO Sweeps (Id, AgentId, PassId, "Trigger", StartedAt, FinishedAt, TargetCount, PassCount, WarnCount, FailCount)
                  VALUES (1, 1, '0D1B2A3C-4D5E-6F70-8192-A3B4C5D6E7F8', 'Manual', 1700000000000, 1700000001000, 1, 0, 0, 1);
                INSERT INTO Results (Id, ResultId, SweepId, AgentId, TargetId, StartedAt, Verdict, Phase, Reason, Message, Remedy, TotalMs, TimingsJson, DetailsJson)
                  VALUES (1, '6F9619FF-8B86-D011-B42D-00C04FC964FF', 1, 1, 1, 1700000000500, 2, 2, 8, 'refused', 'open the port', 12.5, '{"total":12.5}', '{}');
                """;
            await insert.ExecuteNonQueryAsync();
        }
        SqliteConnection.ClearAllPools();

        // Rows are from 2023: keep retention from deleting them on startup. Its own app: on this prepared database.
        using var app = new ArcBridgeAppFactory(new Dictionary<string, string?>(NoSchedule)
        {
            ["ArcBridge:Retention:RawDays"] = "3650", ["ArcBridge:Retention:HourlyDays"] = "3650", ["ArcBridge:Retention:ChangeDays"] = "3650",
        }, directory);
        using var client = app.CreateClient();

        await using var upgraded = app.CreateDbContext();
        Assert.Empty(await upgraded.Database.GetPendingMigrationsAsync());
        var version = await upgraded.CatalogVersions.SingleAsync();
        Assert.Equal("old", version.Version); // the seeder must not add the default catalog over existing data
        var endpoint = await upgraded.Endpoints.SingleAsync();
        Assert.Equal(("Old service", 600), (endpoint.Service, endpoint.IntervalSeconds));
        var sweep = await upgraded.Sweeps.SingleAsync();
        Assert.Null(sweep.Error);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1700000001000), sweep.FinishedAt);
        var result = await upgraded.Results.SingleAsync();
        Assert.Equal((Probes.Contracts.Verdict.Fail, Probes.Contracts.ReasonCode.TcpRefused, "refused"), (result.Verdict, result.Reason, result.Message));
    }
}
