using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Configuration;
using ArcBridgeDashboard.Web.Data;
using ArcBridgeDashboard.Web.Monitoring;
using ArcBridgeDashboard.Web.Monitoring.Queries;
using ArcBridgeDashboard.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace ArcBridgeDashboard.Web.Tests.Integration;

/// <summary>
/// The tests share one app on a loopback catalog; each reads and writes only its own endpoint's rows. On both
/// providers (<see cref="OnSqlite"/>, <see cref="OnPostgreSql"/>).
/// </summary>
public abstract class EndpointDetailQueryTests(EndpointDetailQueryTests.HistoryApp app)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 6, 0, 0, TimeSpan.Zero);

    public sealed class OnSqlite(HistoryApp.Sqlite app) : EndpointDetailQueryTests(app), IClassFixture<HistoryApp.Sqlite>;

    public sealed class OnPostgreSql(HistoryApp.PostgreSql app) : EndpointDetailQueryTests(app), IClassFixture<HistoryApp.PostgreSql>;

    public abstract class HistoryApp(DatabaseProvider provider) : LoopbackCatalogApp(provider,
        TestDatabase.Loopback("History", 443), TestDatabase.Loopback("Long history", 8443), TestDatabase.Loopback("Revoked view", 9443), TestDatabase.Loopback("Day edges", 7443), TestDatabase.Loopback("Two targets", 6443))
    {
        public sealed class Sqlite() : HistoryApp(DatabaseProvider.Sqlite);

        public sealed class PostgreSql() : HistoryApp(DatabaseProvider.PostgreSql);
    }

    [Fact]
    public async Task GetAsync_HistoryOverThirtyDays_ReportsAvailabilityTimelineLatestFailureAndPages()
    {
        await using var db = app.CreateDbContext();
        var target = await db.Targets.Include(t => t.Endpoint).SingleAsync(t => t.Endpoint!.Service == "History");
        foreach (var (verdict, age) in new[] { (Verdict.Pass, TimeSpan.FromDays(20)), (Verdict.Fail, TimeSpan.FromDays(2)), (Verdict.Pass, TimeSpan.FromMinutes(1)) })
            await TestResults.StoreAsync(db, Agent.BuiltInId, Result(target, verdict, Now - age));

        var detail = await new EndpointDetailQuery(db).GetAsync(target.EndpointId, Now, TimeSpan.FromMinutes(5), TimeSpan.FromDays(7));

        Assert.NotNull(detail);
        Assert.Equal([("24 h", 1, 1), ("7 d", 2, 1), ("30 d", 3, 2), ("1 y", 3, 2)], detail.Availability.Select(a => (a.Window, a.Count, a.Passing)));
        Assert.Equal([Verdict.Pass, Verdict.Fail, Verdict.Pass], detail.Timeline.OrderBy(t => t.At).Select(t => t.To));
        Assert.Equal(Now - TimeSpan.FromDays(2), detail.LatestFailure!.StartedAt);
        Assert.Equal("open the port", detail.LatestFailure.Remedy);
        Assert.Equal(2, detail.Latency.Count); // the 7-day window holds two hours with results
        var current = Assert.Single(detail.Current);
        Assert.Equal((Verdict.Pass, false), (current.Verdict, current.IsStale));

        var page1 = await new EndpointDetailQuery(db).GetResultsAsync(target.Id, page: 1, pageSize: 2);
        var page2 = await new EndpointDetailQuery(db).GetResultsAsync(target.Id, page: 2, pageSize: 2);
        Assert.Equal((2, true), (page1.Items.Count, page1.HasMore));
        Assert.Equal((1, false), (page2.Items.Count, page2.HasMore));
        Assert.Equal(Now - TimeSpan.FromDays(20), page2.Items[0].StartedAt);
        Assert.Null(await new EndpointDetailQuery(db).GetAsync(99999, Now, TimeSpan.FromMinutes(5), TimeSpan.FromDays(1)));
    }

    [Fact]
    public async Task GetAsync_AgentRevokedAfterFailing_LeavesCurrentStatusAndLatestFailureButTimelineKeepsItMarked()
    {
        await using var db = app.CreateDbContext();
        var target = await db.Targets.Include(t => t.Endpoint).SingleAsync(t => t.Endpoint!.Service == "Revoked view");
        var gone = new Agent { Name = "old-vm", Role = Probes.Contracts.Sources.ManagementMachine, CreatedAt = Now.AddDays(-3) };
        db.Agents.Add(gone);
        await db.SaveChangesAsync();
        await TestResults.StoreAsync(db, gone.Id, Result(target, Verdict.Fail, Now - TimeSpan.FromMinutes(2)));
        await TestResults.StoreAsync(db, Agent.BuiltInId, Result(target, Verdict.Pass, Now - TimeSpan.FromMinutes(1)));
        await db.Agents.Where(a => a.Id == gone.Id).ExecuteUpdateAsync(s => s.SetProperty(a => a.RevokedAt, Now));

        var detail = await new EndpointDetailQuery(db).GetAsync(target.EndpointId, Now, TimeSpan.FromMinutes(5), TimeSpan.FromDays(1));

        Assert.Equal(["built-in"], detail!.Current.Select(c => c.AgentName));
        Assert.Null(detail.LatestFailure);
        Assert.Contains(detail.Timeline, t => t.AgentName == "old-vm (revoked)" && t.To == Verdict.Fail);
    }

    [Fact]
    public async Task GetAsync_ThirtyDayLatencyWindow_MergesHoursIntoAtMostTwoHundredPointsKeepingEveryResult()
    {
        await using var db = app.CreateDbContext();
        var target = await db.Targets.Include(t => t.Endpoint).SingleAsync(t => t.Endpoint!.Service == "Long history");
        // One result every 2 hours for 30 days: 360 hours with data, more than a chart can show one by one. Stored as one
        // batch (as an agent's outbox sends them): the same rows as one by one, in a fraction of the time.
        var history = Enumerable.Range(1, 360).Select(i => Result(target, Verdict.Pass, Now - TimeSpan.FromHours(2 * i) + TimeSpan.FromMinutes(1))).ToList();
        Assert.Equal(360, (await TestResults.Store(db).StoreAsync(Agent.BuiltInId, history, new ResultStore.Sender(), default)).Stored);

        var detail = await new EndpointDetailQuery(db).GetAsync(target.EndpointId, Now, TimeSpan.FromMinutes(5), TimeSpan.FromDays(30));

        Assert.NotNull(detail);
        Assert.InRange(detail.Latency.Count, 2, EndpointDetailQuery.MaxLatencyPoints);
        Assert.Equal(360, detail.Latency.Sum(p => p.Count));
        Assert.All(detail.Latency, p => Assert.Equal((2.0, 2.0), (p.MeanMs, p.MaxMs)));
        Assert.Equal(detail.Latency.OrderBy(p => p.BucketStart).Select(p => p.BucketStart), detail.Latency.Select(p => p.BucketStart));
    }

    [Fact]
    public async Task GetAsync_WindowsStartingMidDay_CountEveryHourInsideThemAndResultsPageNewestFirst()
    {
        await using var db = app.CreateDbContext();
        var target = await db.Targets.Include(t => t.Endpoint).SingleAsync(t => t.Endpoint!.Service == "Day edges");
        // 40 days of a result every 2 h, 20 min past the hour, seen at 06:20: each window starts in the middle of a day
        // and of an hour. A window holds the results of the hours that start inside it (the hour's roll-up), so
        // 06:20 seven days ago leaves out that 06:20 result; whole days come from daily roll-ups, the rest of the
        // first day from hourly ones, and a day or an hour counted twice or missed shows in these sums.
        var now = Now + TimeSpan.FromMinutes(20);
        var history = Enumerable.Range(0, 480).Select(i => Result(target, (i % 7) switch { 0 => Verdict.Fail, 3 => Verdict.Warn, _ => Verdict.Pass }, now - TimeSpan.FromHours(2 * i)))
            .ToList();
        Assert.Equal(480, (await TestResults.Store(db).StoreAsync(Agent.BuiltInId, history, new ResultStore.Sender(), default)).Stored);

        var detail = await new EndpointDetailQuery(db).GetAsync(target.EndpointId, now, TimeSpan.FromMinutes(5), TimeSpan.FromDays(7));

        (string, int, int) Expected(string window, DateTimeOffset since)
        {
            var inside = history.Where(r => r.StartedAt.AddTicks(-(r.StartedAt.UtcTicks % TimeSpan.TicksPerHour)) >= since).ToList();
            return (window, inside.Count, inside.Count(r => r.Verdict != Verdict.Fail));
        }
        var sinceMidnight = new DateTimeOffset(now.UtcDateTime.Date.AddDays(1), TimeSpan.Zero) - TimeSpan.FromDays(365);
        Assert.Equal([Expected("24 h", now.AddDays(-1)), Expected("7 d", now.AddDays(-7)), Expected("30 d", now.AddDays(-30)), Expected("1 y", sinceMidnight)],
            detail!.Availability.Select(a => (a.Window, a.Count, a.Passing)));
        Assert.Equal((12, 84, 360), (detail.Availability[0].Count, detail.Availability[1].Count, detail.Availability[2].Count));

        // Raw results: the first pages come from the last day's rows, a later page from all of them; newest first either way.
        var newestFirst = history.OrderByDescending(r => r.StartedAt).Select(r => r.StartedAt).ToList();
        var page1 = await new EndpointDetailQuery(db).GetResultsAsync(target.Id, page: 1, pageSize: 5);
        var page20 = await new EndpointDetailQuery(db).GetResultsAsync(target.Id, page: 20, pageSize: 5);
        var last = await new EndpointDetailQuery(db).GetResultsAsync(target.Id, page: 48, pageSize: 10);
        Assert.Equal(newestFirst.Take(5), page1.Items.Select(i => i.StartedAt));
        Assert.Equal(newestFirst.Skip(95).Take(5), page20.Items.Select(i => i.StartedAt));
        Assert.Equal(newestFirst.Skip(470), last.Items.Select(i => i.StartedAt));
        Assert.Equal((true, true, false), (page1.HasMore, page20.HasMore, last.HasMore));
    }

    [Fact]
    public async Task GetAsync_TwoTargetsWithLongHistories_TimelineIsTheNewestHundredChangesOfBoth()
    {
        await using var db = app.CreateDbContext();
        var first = await db.Targets.Include(t => t.Endpoint).SingleAsync(t => t.Endpoint!.Service == "Two targets");
        var second = new Target { EndpointId = first.EndpointId, Key = "127.0.0.2:6443/tcp", Host = "127.0.0.2", Port = 6443, Sources = first.Sources };
        db.Targets.Add(second);
        await db.SaveChangesAsync();
        // The first target changed every 10 min for a day and a half, the second every 25 min over the last 10 hours,
        // and its oldest change is the endpoint's oldest: the newest hundred interleave both targets' changes and leave
        // out most of the first's and that oldest one.
        var changes = Enumerable.Range(1, 216).Select(i => (first.Id, At: Now - TimeSpan.FromMinutes(10 * i)))
            .Concat(Enumerable.Range(1, 24).Select(i => (second.Id, At: Now - TimeSpan.FromMinutes(25 * i) - TimeSpan.FromSeconds(5))))
            .Append((second.Id, At: Now - TimeSpan.FromDays(3)))
            .Select((c, i) => new StateChange { AgentId = Agent.BuiltInId, TargetId = c.Item1, At = c.At, From = i % 2 == 0 ? Verdict.Pass : Verdict.Fail, To = i % 2 == 0 ? Verdict.Fail : Verdict.Pass, Message = $"change {i}" })
            .ToList();
        db.StateChanges.AddRange(changes);
        await db.SaveChangesAsync();

        var detail = await new EndpointDetailQuery(db).GetAsync(first.EndpointId, Now, TimeSpan.FromMinutes(5), TimeSpan.FromDays(1));

        Assert.Equal(changes.OrderByDescending(c => c.At).Take(100).Select(c => (c.TargetId, c.At)), detail!.Timeline.Select(t => (t.TargetId, t.At)));
        Assert.Equal(Now - TimeSpan.FromMinutes(10), detail.Timeline[0].At);
    }

    private static ProbeResult Result(Target target, Verdict verdict, DateTimeOffset at) => new()
    {
        EndpointKey = target.Endpoint!.Key, TargetKey = target.Key, Service = target.Endpoint.Service, Host = "127.0.0.1", Port = target.Port,
        Protocol = TransportProtocol.Tcp, Sources = target.Sources, Verdict = verdict,
        Phase = verdict == Verdict.Pass ? Phase.None : Phase.Tcp, Reason = verdict == Verdict.Pass ? ReasonCode.Ok : ReasonCode.TcpRefused,
        Message = verdict.ToString(), Remedy = verdict == Verdict.Pass ? "" : "open the port", StartedAt = at,
        TimingsMs = new Dictionary<string, double> { ["tcp"] = 1.5, ["total"] = 2 },
    };
}
