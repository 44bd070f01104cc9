using ArcBridgeDashboard.Probes.Contracts;
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

namespace ArcBridgeDashboard.Web.Tests.Integration;

/// <summary>
/// The retention tiers (raw 7 days, hourly roll-ups a year, daily roll-ups for ever, changes a year) and the roll-ups that
/// answer the 30-day and 1-year views once the raw rows are gone, on a database of its own per test (SQLite file or
/// PostgreSQL: <see cref="OnSqlite"/>, <see cref="OnPostgreSql"/>) with a fake clock.
/// Results enter through <see cref="ResultStore"/>, the product's one ingest path.
/// </summary>
public abstract class RetentionRollupTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class OnSqlite() : RetentionRollupTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgreSql() : RetentionRollupTests(DatabaseProvider.PostgreSql);

    private static readonly DateTimeOffset Now = new(2026, 11, 29, 6, 30, 0, TimeSpan.Zero);

    private readonly string _database = TestDatabase.CreateScratch(provider, "retention.db");
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
        TestDatabase.Delete(_database);
        return Task.CompletedTask;
    }

    private static ArcBridgeOptions Defaults() => new();

    private RetentionService Retention(ArcBridgeOptions? options = null) => new(
        new ServiceCollection().BuildServiceProvider().GetRequiredService<IServiceScopeFactory>(),
        new ArcBridgeDashboard.Web.Scale.SingleProcessLease(), Options.Create(options ?? Defaults()), _time, NullLogger<RetentionService>.Instance);

    [Fact]
    public async Task PurgeAsync_DefaultTiers_DropsRawAfter7DaysHourlyAfterAYearChangesAfterAYearAndNeverDaily()
    {
        await using var db = TestDatabase.Open(_database);
        var target = _targets[0];
        // Fail then pass at each age, oldest first, so every age also has state changes.
        foreach (var age in new[] { 3000, 366, 364, 8, 6 })
        {
            var at = Now.AddDays(-age);
            await TestResults.Store(db, _time).StoreAsync(Agent.BuiltInId, [Probe(target, Verdict.Fail, at), Probe(target, Verdict.Pass, at.AddMinutes(1))], new ResultStore.Sender(), default);
            db.Sweeps.Add(new Sweep { AgentId = Agent.BuiltInId, StartedAt = at });
            db.Annotations.Add(new Annotation { At = at, Text = $"{age} days ago" });
            db.ChangeEvents.Add(new ChangeEvent { AgentId = Agent.BuiltInId, TargetId = target.Id, At = at, ConfirmedAt = at, To = Verdict.Fail });
            db.CheckRuns.Add(new CheckRun { StartedAt = at, DeadlineAt = at.AddMinutes(2) });
        }
        await db.SaveChangesAsync();

        var purged = await Retention().PurgeAsync(db, default);

        await using var check = TestDatabase.Open(_database);
        int[] Ages(IEnumerable<DateTimeOffset> times) => [.. times.Select(t => (int)Math.Round((Now - t).TotalDays)).Distinct().Order()];
        Assert.Equal<int>(new[] { 6 }, Ages(await check.Results.Select(r => r.StartedAt).ToListAsync()));
        Assert.Equal<int>(new[] { 6 }, Ages(await check.Sweeps.Select(s => s.StartedAt).ToListAsync()));
        Assert.Equal<int>(new[] { 6, 8, 364 }, Ages(await check.HourlyRollups.Select(h => h.HourStart).ToListAsync()));
        Assert.Equal<int>(new[] { 6, 8, 364, 366, 3000 }, Ages(await check.DailyRollups.Select(d => d.DayStart).ToListAsync())); // for ever
        Assert.Equal<int>(new[] { 6, 8, 364 }, Ages(await check.StateChanges.Select(s => s.At).ToListAsync()));
        Assert.Equal<int>(new[] { 6, 8, 364 }, Ages(await check.ChangeEvents.Select(c => c.At).ToListAsync()));
        Assert.Equal<int>(new[] { 6, 8, 364 }, Ages(await check.Annotations.Select(a => a.At).ToListAsync()));
        Assert.Equal<int>(new[] { 6, 8, 364 }, Ages(await check.CheckRuns.Select(r => r.StartedAt).ToListAsync()));
        Assert.Equal(1, await check.LatestResults.CountAsync()); // the current state is not history
        Assert.Equal((8, 4, 2), (purged.Results, purged.Sweeps, purged.HourlyRollups));
        Assert.True(purged.Changes >= 2 * 2 + 3 * 2); // two state changes, an event, an annotation and a check run per dropped age

        var again = await Retention().PurgeAsync(db, default);
        Assert.Equal(new RetentionService.Purged(0, 0, 0, 0), again);
    }

    [Fact]
    public async Task PurgeAsync_ConfiguredDays_MoveEachCutoff()
    {
        await using var db = TestDatabase.Open(_database);
        foreach (var (age, verdict) in new[] { (100, Verdict.Pass), (40, Verdict.Fail), (20, Verdict.Pass) })
            await TestResults.StoreAsync(db, Agent.BuiltInId, Probe(_targets[0], verdict, Now.AddDays(-age)), _time);

        await Retention(new ArcBridgeOptions { Retention = { RawDays = 30, HourlyDays = 60, ChangeDays = 90 } }).PurgeAsync(db, default);

        await using var check = TestDatabase.Open(_database);
        Assert.Equal(1, await check.Results.CountAsync());
        Assert.Equal(2, await check.HourlyRollups.CountAsync());
        Assert.Equal(3, await check.DailyRollups.CountAsync());
        Assert.Equal(2, await check.StateChanges.CountAsync()); // the change of 100 days ago is gone
    }

    [Fact]
    public async Task Rollups_AfterRawPurge_Answer30DayAndYearViewsWithTheNumbersRawRowsGave()
    {
        // Two agents of the same role over 400 days, every 3 hours, a seeded mix of verdicts: a check-hour fails when either
        // agent failed in it, so the year view must OR the agents' hours, not add them.
        await using var db = TestDatabase.Open(_database);
        var second = new Agent { Name = "mgmt-2", Role = Sources.ManagementMachine, CreatedAt = Now.AddDays(-500) };
        db.Agents.Add(second);
        await db.SaveChangesAsync();
        var random = new Random(14);
        var raw = new List<(int Target, int Agent, DateTimeOffset At, Verdict Verdict)>();
        var store = TestResults.Store(db, _time);
        for (var day = 400; day >= 0; day--)
        {
            foreach (var agent in new[] { Agent.BuiltInId, second.Id })
            {
                var batch = new List<ProbeResult>();
                for (var slot = 0; slot < 8; slot++)
                {
                    // Even slots: both agents in the same hour (their failures merge); odd slots: hours of their own.
                    var at = Now.Date.AddDays(-day).AddHours(3 * slot + (slot % 2 == 0 ? 0 : agent % 2)) + TimeSpan.FromMinutes(random.Next(0, 59));
                    if (at > Now.UtcDateTime)
                        continue;
                    foreach (var target in _targets)
                    {
                        var roll = random.Next(100);
                        var verdict = roll < 8 ? Verdict.Fail : roll < 15 ? Verdict.Warn : Verdict.Pass;
                        batch.Add(Probe(target, verdict, new DateTimeOffset(at, TimeSpan.Zero)));
                        raw.Add((target.Id, agent, new DateTimeOffset(at, TimeSpan.Zero), verdict));
                    }
                }
                if (batch.Count > 0)
                    Assert.Equal(batch.Count, (await store.StoreAsync(agent, batch, new ResultStore.Sender(), default)).Stored);
            }
        }
        Assert.Equal(raw.Count, await db.Results.CountAsync());

        var before = await ViewsAsync(db);
        Assert.Equal(ExpectedTrend(raw, Now, TrendRange.Days30), Shares(before.Month));
        Assert.Equal(ExpectedTrend(raw, Now, TrendRange.Year), Shares(before.Year));
        Assert.Equal(ExpectedAvailability(raw, Now), before.Availability);
        Assert.Contains(before.Year, w => w.WithData > 0 && w.Passing < w.WithData); // the mix really has failing check-hours

        var purged = await Retention().PurgeAsync(db, default);
        Assert.True(purged.Results > 0);
        // PostgreSQL drops whole day partitions: a day's rows stay until the whole day is older than the window.
        var kept = provider == DatabaseProvider.PostgreSql ? new DateTimeOffset(Now.AddDays(-7).UtcDateTime.Date, TimeSpan.Zero) : Now.AddDays(-7);
        Assert.True(await db.Results.AllAsync(r => r.StartedAt >= kept));
        Assert.False(await db.HourlyRollups.AnyAsync(h => h.HourStart < Now.AddDays(-365)));

        var after = await ViewsAsync(db);
        Assert.Equal(Shares(before.Month), Shares(after.Month));
        Assert.Equal(Shares(before.Year), Shares(after.Year));
        Assert.Equal(before.Availability, after.Availability);
        // The days of the last 30 in both views agree: the year reads days, the month hours.
        var monthByDay = after.Month.ToDictionary(b => b.Start);
        var lastFullWeek = after.Year[^2];
        var weekDays = Enumerable.Range(0, 7).Select(i => monthByDay[lastFullWeek.Start.AddDays(i)]).ToList();
        Assert.Equal((weekDays.Sum(b => b.WithData), weekDays.Sum(b => b.Passing)), (lastFullWeek.WithData, lastFullWeek.Passing));
    }

    [Fact]
    public async Task StoreAsync_ResentBatchAndLateResult_CountedOnceInDailyRollupAndRejectedOnceRawIsPurged()
    {
        await using var db = TestDatabase.Open(_database);
        var agent = new Agent { Name = "remote-mgmt", Role = Sources.ManagementMachine, CreatedAt = Now.AddDays(-30) };
        db.Agents.Add(agent);
        await db.SaveChangesAsync();
        var store = TestResults.Store(db, _time, Defaults());
        var remote = new ResultStore.Sender(Remote: true);
        var target = _targets[0];
        var day = new DateTimeOffset(Now.UtcDateTime.Date, TimeSpan.Zero).AddDays(-1);
        ProbeResult[] batch = [Probe(target, Verdict.Pass, day.AddHours(2)), Probe(target, Verdict.Fail, day.AddHours(5)), Probe(target, Verdict.Warn, day.AddHours(5.5))];

        Assert.Equal(3, (await store.StoreAsync(agent.Id, batch, remote, default)).Stored);
        Assert.Equal(0, (await store.StoreAsync(agent.Id, batch, remote, default)).Stored); // the agent did not see the ack: re-sent
        var late = Probe(target, Verdict.Pass, day.AddHours(23));
        Assert.Equal(1, (await store.StoreAsync(agent.Id, [.. batch, late], remote, default)).Stored);

        async Task<DailyRollup> DailyAsync()
        {
            await using var check = TestDatabase.Open(_database);
            return await check.DailyRollups.SingleAsync(d => d.AgentId == agent.Id && d.DayStart == day);
        }
        var daily = await DailyAsync();
        Assert.Equal((day, 4, 2, 1, 1), (daily.DayStart, daily.Count, daily.PassCount, daily.WarnCount, daily.FailCount));
        Assert.Equal((1 << 2) | (1 << 5) | (1 << 23), daily.HourMask);
        Assert.Equal(1 << 5, daily.FailMask);
        var hours = await db.HourlyRollups.Where(h => h.AgentId == agent.Id).ToListAsync();
        Assert.Equal((daily.Count, daily.SumTotalMs), (hours.Sum(h => h.Count), hours.Sum(h => h.SumTotalMs)));

        // Eight days on, the raw rows are gone; the same batch sent once more cannot be recognised, so each of its results
        // is rejected (older than the raw window) while a fresh result in the same batch is stored.
        _time.Advance(TimeSpan.FromDays(8));
        await Retention().PurgeAsync(db, default);
        var fresh = Probe(target, Verdict.Pass, Now.AddDays(8).AddMinutes(-1));
        var resent = await store.StoreAsync(agent.Id, [.. batch, fresh], remote, default);

        Assert.Null(resent.Refused);
        Assert.Equal(1, resent.Stored);
        Assert.Equal(batch.Select(r => r.Id).Order(), resent.Ack.Rejected.Select(r => r.Id).Order());
        Assert.All(resent.Ack.Rejected, r => Assert.Contains("ArcBridge:Retention:RawDays", r.Error, StringComparison.Ordinal));
        Assert.Equal(4, (await DailyAsync()).Count);
    }

    [Fact]
    public async Task Backfill_DatabaseWithHoursButNoDays_BuildsTheDaysIngestWouldHaveWrittenAndOnlyOnce()
    {
        await using var db = TestDatabase.Open(_database);
        var t0 = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
        var batch = Enumerable.Range(0, 60).Select(i => Probe(_targets[i % 2], i % 7 == 0 ? Verdict.Fail : i % 5 == 0 ? Verdict.Warn : Verdict.Pass, t0.AddHours(i * 1.3))).ToList();
        await TestResults.Store(db, _time).StoreAsync(Agent.BuiltInId, batch, new ResultStore.Sender(), default);
        var written = await DaysAsync();
        await db.DailyRollups.ExecuteDeleteAsync(); // as on a database from before daily roll-ups
        var backfill = new DailyRollupBackfill(NullLogger<DailyRollupBackfill>.Instance);

        await backfill.SeedAsync(db, default);
        await backfill.SeedAsync(db, default); // the next start: days exist, nothing added

        Assert.True(written.Count >= 8);
        Assert.Equal(written, await DaysAsync());

        async Task<List<(int, DateTimeOffset, int, int, int, int, double, double, int, int)>> DaysAsync()
        {
            await using var check = TestDatabase.Open(_database);
            return [.. (await check.DailyRollups.ToListAsync())
                .Select(d => (d.TargetId, d.DayStart, d.Count, d.PassCount, d.WarnCount, d.FailCount, d.SumTotalMs, d.MaxTotalMs, d.HourMask, d.FailMask))
                .Order()];
        }
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

    /// <summary>The trend computed straight from raw results: per target × hour the worst verdict of the agents, pooled per bucket.</summary>
    private static List<(DateTimeOffset, int, int)> ExpectedTrend(List<(int Target, int Agent, DateTimeOffset At, Verdict Verdict)> raw, DateTimeOffset now, TrendRange range)
    {
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        var (first, bucket, count) = range == TrendRange.Year
            ? (today.AddDays(-(((int)today.DayOfWeek + 6) % 7) - 7 * 52), TimeSpan.FromDays(7), 53)
            : (today.AddDays(-29), TimeSpan.FromDays(1), 30);
        var checkHours = raw.Where(r => r.At >= first)
            .GroupBy(r => (r.Target, Hour: new DateTimeOffset(r.At.UtcDateTime.Date.AddHours(r.At.UtcDateTime.Hour), TimeSpan.Zero)))
            .Select(g => (g.Key.Hour, Failing: g.Any(r => r.Verdict == Verdict.Fail)))
            .ToList();
        return [.. Enumerable.Range(0, count).Select(i =>
        {
            var start = first + bucket * i;
            var inBucket = checkHours.Where(c => c.Hour >= start && c.Hour < start + bucket).ToList();
            return (start, inBucket.Count, inBucket.Count(c => !c.Failing));
        })];
    }

    /// <summary>Target A's 30-day (hours starting within it) and 1-year (days starting within it) availability from raw results.</summary>
    private List<(string, int, int)> ExpectedAvailability(List<(int Target, int Agent, DateTimeOffset At, Verdict Verdict)> raw, DateTimeOffset now)
    {
        var a = raw.Where(r => r.Target == _targets[0].Id).ToList();
        var month = a.Where(r => r.At.UtcDateTime.Date.AddHours(r.At.UtcDateTime.Hour) >= (now - TimeSpan.FromDays(30)).UtcDateTime).ToList();
        var year = a.Where(r => r.At.UtcDateTime.Date >= (now - TimeSpan.FromDays(365)).UtcDateTime).ToList();
        return [("30 d", month.Count, month.Count(r => r.Verdict != Verdict.Fail)), ("1 y", year.Count, year.Count(r => r.Verdict != Verdict.Fail))];
    }

    private static ProbeResult Probe(Target target, Verdict verdict, DateTimeOffset at) => new()
    {
        EndpointKey = target.Endpoint!.Key, TargetKey = target.Key, Service = target.Endpoint.Service, Host = "127.0.0.1", Port = target.Port,
        Protocol = TransportProtocol.Tcp, Sources = Sources.ManagementMachine, Verdict = verdict,
        Phase = verdict == Verdict.Pass ? Phase.None : Phase.Tcp, Reason = verdict == Verdict.Pass ? ReasonCode.Ok : ReasonCode.TcpRefused,
        Message = verdict.ToString(), StartedAt = at, TimingsMs = new Dictionary<string, double> { ["total"] = 3 + (int)verdict },
    };
}
