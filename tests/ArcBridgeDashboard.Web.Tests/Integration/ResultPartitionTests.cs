using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Testing;
using ArcBridgeDashboard.Web.Configuration;
using ArcBridgeDashboard.Web.Data;
using ArcBridgeDashboard.Web.Monitoring;
using ArcBridgeDashboard.Web.Monitoring.Queries;
using ArcBridgeDashboard.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace ArcBridgeDashboard.Web.Tests.Integration;

/// <summary>
/// On PostgreSQL "Results" is partitioned by UTC day: results land in their day's partition, a re-sent result is stored
/// once, retention drops whole old partitions while the roll-ups keep the 30-day and 1-year views, and a result for a day
/// with no partition still goes in. Real PostgreSQL 15 (a fresh database per test), a fake clock, the product's ingest.
/// </summary>
public sealed class ResultPartitionTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 6, 30, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Today = new(Now.UtcDateTime.Date, TimeSpan.Zero);

    private readonly string _database = PostgresServer.Shared.CreateDatabase();
    private readonly FakeTimeProvider _time = new(Now);
    private List<Target> _targets = [];

    public async Task InitializeAsync()
    {
        await TestDatabase.CreateWithCatalogAsync(_database, TestDatabase.Loopback("Loop A", 1), TestDatabase.Loopback("Loop B", 2));
        await using var db = TestDatabase.Open(_database);
        _targets = await db.Targets.AsNoTracking().Include(t => t.Endpoint).OrderBy(t => t.Port).ToListAsync();
    }

    public Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        return Task.CompletedTask;
    }

    private RetentionService Retention(TimeProvider? time = null) => new(
        new ServiceCollection().BuildServiceProvider().GetRequiredService<IServiceScopeFactory>(),
        new ArcBridgeDashboard.Web.Scale.SingleProcessLease(), Options.Create(new ArcBridgeOptions()), time ?? _time, NullLogger<RetentionService>.Instance);

    [Fact]
    public async Task Ingest_SeveralDays_EachResultInItsDayPartitionAndAResentBatchStoredOnce()
    {
        await using var db = TestDatabase.Open(_database);
        var agent = new Agent { Name = "remote-mgmt", Role = Sources.ManagementMachine, CreatedAt = Now.AddDays(-30) };
        db.Agents.Add(agent);
        await db.SaveChangesAsync();
        var batches = new List<ProbeResult[]>();
        var time = new FakeTimeProvider(Today.AddDays(-2));
        // Three days, each prepared the way the leader does it (its hourly round), then that day's batch arrives.
        for (var day = -2; day <= 0; day++)
        {
            time.SetUtcNow(Today.AddDays(day).AddHours(1));
            await Retention(time).RunOnceAsync(db, default);
            var at = Today.AddDays(day);
            ProbeResult[] batch = [Probe(_targets[0], Verdict.Pass, at.AddMinutes(10)), Probe(_targets[1], Verdict.Fail, at.AddMinutes(20)), Probe(_targets[0], Verdict.Warn, at.AddMinutes(30))];
            Assert.Equal(3, (await TestResults.Store(db, time).StoreAsync(agent.Id, batch, Remote(time), default)).Stored);
            batches.Add(batch);
        }

        // The agent missed each ack and sends everything again, to two replicas at the same moment, with a clock now off by
        // seconds (so each replica moves the starts onto its own clock by a slightly different offset).
        var all = batches.SelectMany(b => b).ToArray();
        await using var a = TestDatabase.Open(_database);
        await using var b = TestDatabase.Open(_database);
        var resent = await Task.WhenAll(
            TestResults.Store(a, time).StoreAsync(agent.Id, all, Remote(time, TimeSpan.FromSeconds(3)), default),
            TestResults.Store(b, time).StoreAsync(agent.Id, all, Remote(time, TimeSpan.FromSeconds(4)), default));
        Assert.Equal((0, 0), (resent[0].Stored, resent[1].Stored));
        Assert.All(resent, r => Assert.Equal(all.Length, r.Ack.Acked.Count));

        var rows = await RowsByPartitionAsync();
        Assert.Equal(new Dictionary<string, int> { [Day(-2)] = 3, [Day(-1)] = 3, [Day(0)] = 3 }, rows);
        Assert.Equal(all.Select(r => r.Id).Order(), (await db.Results.Select(r => r.ResultId).ToListAsync()).Order());
        // Prepared ahead: today's partition and the next three days' exist before their results arrive.
        Assert.Equal([Day(-2), Day(-1), Day(0), Day(1), Day(2), Day(3)], await PartitionsAsync());
        Assert.Equal(9, (await db.DailyRollups.Where(d => d.AgentId == agent.Id).ToListAsync()).Sum(d => d.Count));
    }

    [Fact]
    public async Task Retention_OldDayPartitionsDropped_RollupsAnswer30DayAndYearViewsWithTheSameNumbers()
    {
        await using var db = TestDatabase.Open(_database);
        // 40 days of results, their partitions made as the leader made them day by day.
        await ResultPartitions.EnsureAsync(db, [.. Enumerable.Range(-40, 41).Select(d => ResultPartitions.DayOf(Today.AddDays(d)))], default);
        var random = new Random(14);
        var store = TestResults.Store(db, _time);
        for (var day = -40; day <= 0; day++)
        {
            var batch = new List<ProbeResult>();
            for (var slot = 0; slot < 6; slot++)
            {
                var at = Today.AddDays(day).AddHours(slot * 4).AddMinutes(random.Next(0, 59));
                if (at > Now)
                    continue;
                foreach (var target in _targets)
                {
                    var roll = random.Next(100);
                    batch.Add(Probe(target, roll < 10 ? Verdict.Fail : roll < 20 ? Verdict.Warn : Verdict.Pass, at));
                }
            }
            await store.StoreAsync(Agent.BuiltInId, batch, new ResultStore.Sender(), default);
        }
        // A backlog result of a day that never had a partition: in the default partition, deleted row by row.
        Assert.Equal(1, (await store.StoreAsync(Agent.BuiltInId, [Probe(_targets[1], Verdict.Fail, Today.AddDays(-100))], new ResultStore.Sender(), default)).Stored);
        Assert.Equal(1, (await RowsByPartitionAsync())[ResultPartitions.DefaultPartition]);
        var before = await ViewsAsync(db);
        Assert.Contains(before.Year, w => w.Passing < w.WithData); // the mix has failing check-hours
        var kept = (await RowsByPartitionAsync()).Where(p => string.CompareOrdinal(p.Key, Day(-7)) >= 0).ToDictionary();
        var dropped = (await RowsByPartitionAsync()).Where(p => string.CompareOrdinal(p.Key, Day(-7)) < 0).Sum(p => p.Value);
        kept.Remove(ResultPartitions.DefaultPartition);

        var purged = await Retention().RunOnceAsync(db, default);

        // Raw rows are kept 7 days (default): every day wholly before 7 days ago is gone as a whole partition, the day
        // the cutoff falls in stays until it is wholly older.
        Assert.Equal(dropped + 1, purged.Results);
        Assert.Equal([.. Enumerable.Range(-7, 11).Select(Day)], await PartitionsAsync());
        Assert.Equal(kept, await RowsByPartitionAsync());
        Assert.False(await ExistsAsync(Day(-8)));
        var after = await ViewsAsync(db);
        Assert.Equal(Shares(before.Month), Shares(after.Month));
        Assert.Equal(Shares(before.Year), Shares(after.Year));
        Assert.Equal(before.Availability, after.Availability);
        Assert.Equal(new RetentionService.Purged(0, 0, 0, 0), await Retention().RunOnceAsync(db, default));
    }

    [Fact]
    public async Task Insert_DayWithoutPartition_StoredInTheDefaultPartitionAndMovedWhenItsDayIsPrepared()
    {
        await using var db = TestDatabase.Open(_database);
        Assert.Empty(await PartitionsAsync()); // a migrated database that no replica has prepared yet
        var result = Probe(_targets[0], Verdict.Fail, Today.AddDays(-3).AddHours(5));

        Assert.True(await TestResults.StoreAsync(db, Agent.BuiltInId, result, _time));

        Assert.Equal(new Dictionary<string, int> { [ResultPartitions.DefaultPartition] = 1 }, await RowsByPartitionAsync());
        Assert.Equal([Day(-3)], await ResultPartitions.EnsureAsync(db, [ResultPartitions.DayOf(result.StartedAt)], default));
        Assert.Equal(new Dictionary<string, int> { [Day(-3)] = 1 }, await RowsByPartitionAsync());
        await using var check = TestDatabase.Open(_database);
        var stored = await check.Results.SingleAsync();
        Assert.Equal((result.Id, Verdict.Fail, result.StartedAt), (stored.ResultId, stored.Verdict, stored.StartedAt));
        var latest = await check.LatestResults.SingleAsync();
        Assert.Equal(stored.Id, latest.ResultRowId);
    }

    [Fact]
    public async Task Start_WhileThePartitionStepCannotRun_ServesAndLogsWhy()
    {
        // Another maintainer holds the partition step past the start's 5 s lock timeout (a replica moving a large backlog
        // out of the default partition): an insert never needs a day partition, so the start must not fail on it.
        await using var holder = new NpgsqlConnection(_database);
        await holder.OpenAsync();
        await using (var hold = new NpgsqlCommand($"SELECT pg_advisory_lock({ResultPartitions.LockClass}, {ResultPartitions.MaintenanceLock})", holder))
            await hold.ExecuteScalarAsync();
        using var app = new ArcBridgeAppFactory(new Dictionary<string, string?> { ["ArcBridge:BuiltInAgentEnabled"] = "false" },
            provider: DatabaseProvider.PostgreSql, database: _database);

        using var client = app.CreateClient(); // signs in through the form: the app is up
        using var overview = await client.GetAsync("/");

        Assert.Equal(System.Net.HttpStatusCode.OK, overview.StatusCode);
        var log = await Eventually.UntilAsync(() => Task.FromResult(ReadLogs(app)),
            text => text.Contains("Preparing the results day partitions at start failed", StringComparison.Ordinal), "the start's partition failure in the log");
        Assert.Contains("lock timeout", log, StringComparison.OrdinalIgnoreCase);
    }

    private static string ReadLogs(ArcBridgeAppFactory app)
    {
        var folder = Path.Combine(app.Directory, "logs");
        if (!Directory.Exists(folder))
            return "";
        return string.Concat(Directory.EnumerateFiles(folder).Select(file =>
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return new StreamReader(stream).ReadToEnd();
        }));
    }

    [Fact]
    public async Task Migration_ResultsStoredBeforePartitioning_MovedIntoDayPartitionsKeepingTheirIds()
    {
        var database = PostgresServer.Shared.CreateDatabase();
        await TestDatabase.CreateWithCatalogAsync(database, "20261207034602_Initial", TestDatabase.Loopback("Loop A", 1), TestDatabase.Loopback("Loop B", 2));
        List<Target> targets;
        ProbeResult[] batch;
        await using (var old = TestDatabase.Open(database))
        {
            targets = await old.Targets.AsNoTracking().Include(t => t.Endpoint).OrderBy(t => t.Port).ToListAsync();
            batch = [Probe(targets[0], Verdict.Pass, Today.AddDays(-3000)), Probe(targets[0], Verdict.Fail, Today.AddDays(-2).AddHours(3)),
                Probe(targets[1], Verdict.Pass, Today.AddDays(-2).AddHours(4)), Probe(targets[0], Verdict.Pass, Today.AddDays(-1).AddHours(23.9))];
            Assert.Equal(4, (await TestResults.Store(old, _time).StoreAsync(Agent.BuiltInId, batch, new ResultStore.Sender(), default)).Stored);
            Assert.False(await ResultPartitions.IsPartitionedAsync(old, default));
        }
        var ids = await IdsAsync();

        await TestDatabase.MigrateAsync(database);

        await using var db = TestDatabase.Open(database);
        Assert.True(await ResultPartitions.IsPartitionedAsync(db, default));
        Assert.Equal(new Dictionary<string, int> { [Day(-3000)] = 1, [Day(-2)] = 2, [Day(-1)] = 1 }, await RowsByPartitionAsync(database));
        Assert.Equal(ids, await IdsAsync());
        // The latest result per agent × target still finds its row by id (the report and the drill-down read it so).
        Assert.Equal(2, await db.LatestResults.Join(db.Results, l => l.ResultRowId, r => r.Id, (l, r) => r.ResultId).CountAsync());
        // Ingest goes on: the batch again is stored once, and a new result gets an id after the moved ones.
        var fresh = Probe(targets[1], Verdict.Warn, Today.AddHours(1));
        Assert.Equal(1, (await TestResults.Store(db, _time).StoreAsync(Agent.BuiltInId, [.. batch, fresh], new ResultStore.Sender(), default)).Stored);
        Assert.True(await db.Results.Where(r => r.ResultId == fresh.Id).Select(r => r.Id).SingleAsync() > ids.Max(i => i.Id));
        Assert.Equal([.. batch.Select(r => r.Id), fresh.Id], (await db.Results.OrderBy(r => r.StartedAt).Select(r => r.ResultId).ToListAsync()));

        // And back: the migration's Down makes "Results" one plain table again, every row kept.
        await db.Database.MigrateAsync("20261207034602_Initial");
        Assert.False(await ResultPartitions.IsPartitionedAsync(db, default));
        Assert.Equal(5, await db.Results.CountAsync());
        Assert.Equal(0, (await TestResults.Store(db, _time).StoreAsync(Agent.BuiltInId, [.. batch, fresh], new ResultStore.Sender(), default)).Stored);

        async Task<List<(long Id, Guid ResultId)>> IdsAsync()
        {
            await using var check = TestDatabase.Open(database);
            return [.. (await check.Results.Select(r => new { r.Id, r.ResultId }).ToListAsync()).Select(r => (r.Id, r.ResultId)).Order()];
        }
    }

    /// <summary>A remote agent's batch; with <paramref name="clockOffset"/>, its clock is that far ahead of the dashboard's.</summary>
    private static ResultStore.Sender Remote(TimeProvider time, TimeSpan? clockOffset = null) =>
        new(AgentClock: clockOffset is { } o ? time.GetUtcNow() + o : null, Remote: true);

    private static string Day(int offset) => ResultPartitions.NameOf(ResultPartitions.DayOf(Today.AddDays(offset)));

    /// <summary>Rows per partition, by the partition each row is stored in (tableoid).</summary>
    private async Task<Dictionary<string, int>> RowsByPartitionAsync(string? database = null)
    {
        await using var connection = new NpgsqlConnection(database ?? _database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT tableoid::regclass::text, count(*) FROM \"Results\" GROUP BY 1", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new Dictionary<string, int>();
        while (await reader.ReadAsync())
            rows[reader.GetString(0).Trim('"')] = (int)reader.GetInt64(1);
        return rows;
    }

    /// <summary>The day partitions of "Results" in the catalog (pg_inherits), oldest first.</summary>
    private async Task<List<string>> PartitionsAsync()
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = '"Results"'::regclass AND c.relname <> 'Results_default' ORDER BY 1
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var names = new List<string>();
        while (await reader.ReadAsync())
            names.Add(reader.GetString(0));
        return names;
    }

    private async Task<bool> ExistsAsync(string table)
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_class WHERE relname = @name)", connection);
        command.Parameters.AddWithValue("name", table);
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    private sealed record Views(IReadOnlyList<TrendBucket> Month, IReadOnlyList<TrendBucket> Year, IReadOnlyList<(string, int, int)> Availability);

    private async Task<Views> ViewsAsync(ArcBridgeDbContext db)
    {
        var trend = new ReadinessTrendQuery(db);
        var detail = await new EndpointDetailQuery(db).GetAsync(_targets[0].EndpointId, Now, TimeSpan.FromMinutes(5), TimeSpan.FromDays(7));
        return new Views(await trend.TrendAsync(Now, TrendRange.Days30), await trend.TrendAsync(Now, TrendRange.Year),
            [.. detail!.Availability.Where(a => a.Window is "30 d" or "1 y").Select(a => (a.Window, a.Count, a.Passing))]);
    }

    private static List<(DateTimeOffset, int, int)> Shares(IEnumerable<TrendBucket> buckets) => [.. buckets.Select(b => (b.Start, b.WithData, b.Passing))];

    private static ProbeResult Probe(Target target, Verdict verdict, DateTimeOffset at) => new()
    {
        EndpointKey = target.Endpoint!.Key, TargetKey = target.Key, Service = target.Endpoint.Service, Host = "127.0.0.1", Port = target.Port,
        Protocol = TransportProtocol.Tcp, Sources = Sources.ManagementMachine, Verdict = verdict,
        Phase = verdict == Verdict.Pass ? Phase.None : Phase.Tcp, Reason = verdict == Verdict.Pass ? ReasonCode.Ok : ReasonCode.TcpRefused,
        Message = verdict.ToString(), StartedAt = at, TimingsMs = new Dictionary<string, double> { ["total"] = 3 + (int)verdict },
    };
}
