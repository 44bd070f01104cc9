using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Configuration;
using ArcBridgeDashboard.Web.Data;
using ArcBridgeDashboard.Web.Monitoring;
using ArcBridgeDashboard.Web.Monitoring.Queries;
using ArcBridgeDashboard.Web.Monitoring.Status;
using ArcBridgeDashboard.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace ArcBridgeDashboard.Web.Tests.Integration;

/// <summary>
/// The readiness trend and history bars, read from hourly roll-ups seeded into a database of each test's own, on both
/// providers (<see cref="OnSqlite"/>, <see cref="OnPostgreSql"/>).
/// </summary>
public abstract class ReadinessTrendQueryTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class OnSqlite() : ReadinessTrendQueryTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgreSql() : ReadinessTrendQueryTests(DatabaseProvider.PostgreSql);

    private static readonly DateTimeOffset Now = new(2026, 11, 29, 6, 30, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset ThisHour = new(2026, 11, 29, 6, 0, 0, TimeSpan.Zero);

    private readonly string _database = TestDatabase.CreateScratch(provider, "trend.db");
    private int _a, _b, _revoked;

    public async Task InitializeAsync()
    {
        await TestDatabase.CreateWithCatalogAsync(_database, TestDatabase.Loopback("Loop A", 1), TestDatabase.Loopback("Loop B", 2));
        await using var db = TestDatabase.Open(_database);
        var ids = await db.Targets.OrderBy(t => t.Port).Select(t => t.Id).ToListAsync();
        (_a, _b) = (ids[0], ids[1]);
        var revoked = new Agent { Name = "old-mgmt", Role = Sources.ManagementMachine, CreatedAt = Now.AddDays(-10), RevokedAt = Now.AddDays(-1) };
        db.Agents.Add(revoked);
        await db.SaveChangesAsync();
        _revoked = revoked.Id;
    }

    public Task DisposeAsync()
    {
        TestDatabase.Delete(_database);
        return Task.CompletedTask;
    }

    private async Task SeedAsync(params (int Target, int Agent, DateTimeOffset Hour, int Pass, int Warn, int Fail)[] rollups)
    {
        await using var db = TestDatabase.Open(_database);
        db.HourlyRollups.AddRange(rollups.Select(r => new HourlyRollup
        {
            TargetId = r.Target, AgentId = r.Agent, HourStart = r.Hour, PassCount = r.Pass, WarnCount = r.Warn, FailCount = r.Fail,
            Count = r.Pass + r.Warn + r.Fail, SumTotalMs = 10, MaxTotalMs = 10,
        }));
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task TrendAsync_Hours48_FailingHourLowersShareEmptyHourIsNoDataAndRevokedAgentIgnored()
    {
        var builtIn = Agent.BuiltInId;
        await SeedAsync(
            (_a, builtIn, ThisHour.AddHours(-1), 12, 0, 0), (_b, builtIn, ThisHour.AddHours(-1), 11, 1, 0), // Warn still passes
            (_a, _revoked, ThisHour.AddHours(-1), 0, 0, 12), // a revoked agent's failures do not count, as on the overview
            (_a, builtIn, ThisHour.AddHours(-2), 12, 0, 0), (_b, builtIn, ThisHour.AddHours(-2), 10, 0, 2), // one failure fails the hour
            (_a, _revoked, ThisHour.AddHours(-4), 0, 0, 12)); // only the revoked agent: still no data

        await using var db = TestDatabase.Open(_database);
        var trend = await new ReadinessTrendQuery(db).TrendAsync(Now, TrendRange.Hours48);

        Assert.Equal(48, trend.Count);
        Assert.Equal(ThisHour, trend[^1].Start);
        Assert.Equal(ThisHour.AddHours(-47), trend[0].Start);
        var byStart = trend.ToDictionary(b => b.Start);
        Assert.Equal((2, 2, 1.0), (byStart[ThisHour.AddHours(-1)].WithData, byStart[ThisHour.AddHours(-1)].Passing, byStart[ThisHour.AddHours(-1)].Share));
        Assert.Equal(0.5, byStart[ThisHour.AddHours(-2)].Share);
        Assert.Null(byStart[ThisHour.AddHours(-3)].Share); // nothing known is not 0 %
        Assert.Null(byStart[ThisHour.AddHours(-4)].Share);
        Assert.Null(byStart[ThisHour].Share);
    }

    [Fact]
    public async Task TrendAsync_Days30_PoolsTheCheckHoursOfEachDay()
    {
        var yesterday = new DateTimeOffset(2026, 11, 28, 0, 0, 0, TimeSpan.Zero);
        await SeedAsync(
            (_a, Agent.BuiltInId, yesterday.AddHours(3), 12, 0, 0), (_a, Agent.BuiltInId, yesterday.AddHours(4), 12, 0, 0),
            (_b, Agent.BuiltInId, yesterday.AddHours(3), 12, 0, 0), (_b, Agent.BuiltInId, yesterday.AddHours(4), 6, 0, 6),
            (_a, Agent.BuiltInId, ThisHour, 6, 0, 0));

        await using var db = TestDatabase.Open(_database);
        var trend = await new ReadinessTrendQuery(db).TrendAsync(Now, TrendRange.Days30);

        Assert.Equal(30, trend.Count);
        Assert.Equal(new DateTimeOffset(2026, 11, 29, 0, 0, 0, TimeSpan.Zero), trend[^1].Start);
        Assert.Equal((4, 3, 0.75), (trend[^2].WithData, trend[^2].Passing, trend[^2].Share));
        Assert.Equal(1.0, trend[^1].Share);
        Assert.Null(trend[^3].Share);
    }

    [Fact]
    public async Task RecentHistoryAsync_GivesEveryCheck24HoursWithCountsAndNoDataGaps()
    {
        await SeedAsync(
            (_a, Agent.BuiltInId, ThisHour, 3, 0, 0),
            (_b, Agent.BuiltInId, ThisHour.AddHours(-2), 10, 0, 2),
            (_b, _revoked, ThisHour.AddHours(-1), 0, 0, 12),
            (_b, Agent.BuiltInId, ThisHour.AddHours(-30), 0, 0, 12)); // older than the bar

        await using var db = TestDatabase.Open(_database);
        var history = await new ReadinessTrendQuery(db).RecentHistoryAsync(Now);

        var a = history[_a][Sources.ManagementMachine];
        var b = history[_b][Sources.ManagementMachine];
        Assert.False(history[_a].ContainsKey(Sources.ApplianceVm)); // not required from that source: no bar
        Assert.Equal(24, a.Count);
        Assert.Equal((ThisHour.AddHours(-23), ThisHour), (a[0].Start, a[^1].Start));
        Assert.Equal(DisplayStatus.Pass, a[^1].Status);
        Assert.Equal((DisplayStatus.Fail, 10, 2), (b[^3].Status, b[^3].Pass, b[^3].Fail));
        Assert.Equal(DisplayStatus.NoData, b[^2].Status); // the revoked agent's failures are not shown
        Assert.Equal(23, b.Count(h => h.Status == DisplayStatus.NoData));
    }

    [Fact]
    public async Task RecentHistoryAsync_WithTheCache_ALateResultForAClosedHourShowsOnTheNextRead()
    {
        await SeedAsync((_b, Agent.BuiltInId, ThisHour.AddHours(-3), 10, 0, 0));
        var notifier = new LiveStatusNotifier(NullLogger<LiveStatusNotifier>.Instance);
        var time = new FakeTimeProvider(Now);
        using var cache = new CheckHourCache(notifier, time);
        await using var db = TestDatabase.Open(_database);
        var query = new ReadinessTrendQuery(db, cache);
        Assert.Equal(DisplayStatus.Pass, (await query.RecentHistoryAsync(Now))[_b][Sources.ManagementMachine][^4].Status);

        // An agent's buffered result for that hour, sent after an outage, through the one result path.
        var target = await db.Targets.AsNoTracking().Include(t => t.Endpoint).SingleAsync(t => t.Id == _b);
        await using (var writer = TestDatabase.Open(_database))
        {
            var outcome = await TestResults.Store(writer, time, notifier: notifier)
                .StoreAsync(Agent.BuiltInId, [Failure(target, ThisHour.AddHours(-3).AddMinutes(10))], new ResultStore.Sender(), default);
            Assert.Equal(1, outcome.Stored);
        }

        var hour = (await query.RecentHistoryAsync(Now))[_b][Sources.ManagementMachine][^4];
        Assert.Equal((DisplayStatus.Fail, 10, 1), (hour.Status, hour.Pass, hour.Fail));
    }

    [Fact]
    public async Task RecentHistoryAsync_WithTheCache_ARowWrittenWithoutAnnouncementShowsAfterMaxAge()
    {
        var notifier = new LiveStatusNotifier(NullLogger<LiveStatusNotifier>.Instance);
        var time = new FakeTimeProvider(Now);
        using var cache = new CheckHourCache(notifier, time);
        await using var db = TestDatabase.Open(_database);
        var query = new ReadinessTrendQuery(db, cache);
        Assert.Equal(DisplayStatus.NoData, (await query.RecentHistoryAsync(Now))[_b][Sources.ManagementMachine][^6].Status);

        // Written by another replica whose announcement was lost: closed hours are served from memory, for a bounded time.
        await SeedAsync((_b, Agent.BuiltInId, ThisHour.AddHours(-5), 0, 0, 4), (_b, Agent.BuiltInId, ThisHour, 1, 0, 0));
        var history = (await query.RecentHistoryAsync(Now))[_b][Sources.ManagementMachine];
        Assert.Equal(DisplayStatus.NoData, history[^6].Status);
        Assert.Equal(DisplayStatus.Pass, history[^1].Status); // the current hour is always read

        time.Advance(CheckHourCache.MaxAge);
        Assert.Equal(DisplayStatus.Fail, (await query.RecentHistoryAsync(Now))[_b][Sources.ManagementMachine][^6].Status);
    }

    [Fact]
    public async Task TrendAsync_WithTheCache_RevokingAnAgentShowsOnTheNextRead()
    {
        await using var db = TestDatabase.Open(_database);
        var agent = new Agent { Name = "site-7", Role = Sources.ManagementMachine, CreatedAt = Now.AddDays(-3) };
        db.Agents.Add(agent);
        await db.SaveChangesAsync();
        await SeedAsync((_a, Agent.BuiltInId, ThisHour.AddHours(-2), 12, 0, 0), (_a, agent.Id, ThisHour.AddHours(-2), 0, 0, 12));
        using var cache = new CheckHourCache(new LiveStatusNotifier(NullLogger<LiveStatusNotifier>.Instance), new FakeTimeProvider(Now));
        var query = new ReadinessTrendQuery(db, cache);
        Assert.Equal(0.0, (await query.TrendAsync(Now, TrendRange.Hours48))[^3].Share);

        agent.RevokedAt = Now;
        await db.SaveChangesAsync();

        Assert.Equal(1.0, (await query.TrendAsync(Now, TrendRange.Hours48))[^3].Share);
    }

    private static ProbeResult Failure(Target target, DateTimeOffset at) => new()
    {
        EndpointKey = target.Endpoint!.Key, TargetKey = target.Key, Service = target.Endpoint.Service, Host = "127.0.0.1", Port = target.Port,
        Protocol = TransportProtocol.Tcp, Sources = target.Sources, Verdict = Verdict.Fail, Phase = Phase.Tcp, Reason = ReasonCode.TcpRefused,
        Message = "refused", Remedy = "open the port", StartedAt = at, TimingsMs = new Dictionary<string, double> { ["total"] = 2 },
    };
}
