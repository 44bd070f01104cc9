using ArcBridgeDashboard.Probes.Catalog;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Probes.Revocation;
using ArcBridgeDashboard.Testing;
using ArcBridgeDashboard.Web.Configuration;
using ArcBridgeDashboard.Web.Data;
using ArcBridgeDashboard.Web.Monitoring;
using ArcBridgeDashboard.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ArcBridgeDashboard.Web.Tests.Integration;

/// <summary>
/// The tests share one app whose catalog gives each its own loopback endpoint (and holds the certificate chains
/// endpoint): each stores and reads back only its own target's rows (retention has its own tests: RetentionRollupTests). Every test runs on both providers (<see cref="OnSqlite"/>, <see cref="OnPostgreSql"/>).
/// </summary>
public abstract class ResultStoreTests(ResultStoreTests.StoreApp app)
{
    private static readonly Dictionary<string, string?> NoSchedule = new() { ["ArcBridge:BuiltInAgentEnabled"] = "false" };

    public sealed class OnSqlite(StoreApp.Sqlite app) : ResultStoreTests(app), IClassFixture<StoreApp.Sqlite>;

    public sealed class OnPostgreSql(StoreApp.PostgreSql app) : ResultStoreTests(app), IClassFixture<StoreApp.PostgreSql>;

    public abstract class StoreApp(DatabaseProvider provider) : LoopbackCatalogApp(provider,
        TestDatabase.Loopback("Same id twice", LoopbackTlsServer.ClosedPort()),
        TestDatabase.Loopback("Older after newer", LoopbackTlsServer.ClosedPort()),
        TestDatabase.Loopback("Two batches", LoopbackTlsServer.ClosedPort()),
        TestDatabase.Loopback("Two replicas", LoopbackTlsServer.ClosedPort()),
        TestDatabase.Loopback("Eight batches at once", LoopbackTlsServer.ClosedPort()),
        ExtraRequirements.All.Single(e => e.HostPattern == ExtraRequirements.CertificateChains))
    {
        public sealed class Sqlite() : StoreApp(DatabaseProvider.Sqlite);

        public sealed class PostgreSql() : StoreApp(DatabaseProvider.PostgreSql);
    }

    private static async Task<Target> TargetAsync(ArcBridgeDbContext db, string service)
        => await db.Targets.SingleAsync(t => t.Endpoint!.Service == service && t.Host == "127.0.0.1");

    [Fact]
    public async Task WriteAsync_SameResultIdTwice_StoresOneRow()
    {
        await using var db = app.CreateDbContext();
        var target = await TargetAsync(db, "Same id twice");
        var result = Result(target, Verdict.Pass, DateTimeOffset.UtcNow);

        var first = await TestResults.StoreAsync(db, Agent.BuiltInId, result);
        var second = await TestResults.StoreAsync(db, Agent.BuiltInId, result);

        Assert.True(first);
        Assert.False(second);
        await using var check = app.CreateDbContext();
        Assert.Equal(1, await check.Results.CountAsync(r => r.ResultId == result.Id));
        Assert.Equal(1, (await check.HourlyRollups.SingleAsync(h => h.TargetId == target.Id)).Count);
        Assert.Single(await check.StateChanges.Where(c => c.TargetId == target.Id).ToListAsync());
    }

    [Fact]
    public async Task WriteAsync_OlderResultAfterNewer_LatestKeepsNewerAndTimelineRecordsChanges()
    {
        await using var db = app.CreateDbContext();
        var target = await TargetAsync(db, "Older after newer");
        var t0 = new DateTimeOffset(2026, 11, 29, 5, 0, 0, TimeSpan.Zero);

        await TestResults.StoreAsync(db, Agent.BuiltInId, Result(target, Verdict.Pass, t0));
        await TestResults.StoreAsync(db, Agent.BuiltInId, Result(target, Verdict.Fail, t0.AddMinutes(10)));
        await TestResults.StoreAsync(db, Agent.BuiltInId, Result(target, Verdict.Pass, t0.AddMinutes(5)));

        await using var check = app.CreateDbContext();
        var latest = await check.LatestResults.SingleAsync(l => l.TargetId == target.Id);
        Assert.Equal((Verdict.Fail, t0.AddMinutes(10)), (latest.Verdict, latest.StartedAt));
        Assert.Equal([null, Verdict.Pass], (await check.StateChanges.Where(s => s.TargetId == target.Id).OrderBy(s => s.Id).ToListAsync()).Select(s => s.From));
    }

    [Fact]
    public async Task StoreAsync_SameBatchOnTwoReplicasAtOnce_IsStoredAndCountedOnce()
    {
        await using var setup = app.CreateDbContext();
        var target = await TargetAsync(setup, "Two replicas");
        var t0 = app.Time.GetUtcNow();
        ProbeResult[] batch = [Result(target, Verdict.Pass, t0), Result(target, Verdict.Fail, t0.AddSeconds(1)), Result(target, Verdict.Fail, t0.AddSeconds(2))];
        // Two stores with gates of their own, each on its own connection: two dashboard replicas an agent re-sent to.
        await using var a = app.CreateDbContext();
        await using var b = app.CreateDbContext();

        var outcomes = await Task.WhenAll(
            TestResults.Store(a).StoreAsync(Agent.BuiltInId, batch, new ResultStore.Sender(), default),
            TestResults.Store(b).StoreAsync(Agent.BuiltInId, batch, new ResultStore.Sender(), default));

        Assert.All(outcomes, o => Assert.Equal(batch.Select(r => r.Id).Order(), o.Ack.Acked.Order())); // both acknowledge it all
        Assert.Equal(3, outcomes.Sum(o => o.Stored));
        await using var check = app.CreateDbContext();
        Assert.Equal(3, await check.Results.CountAsync(r => r.TargetId == target.Id));
        var hour = await check.HourlyRollups.SingleAsync(h => h.TargetId == target.Id);
        Assert.Equal((3, 1, 2), (hour.Count, hour.PassCount, hour.FailCount));
        Assert.Equal(2, await check.StateChanges.CountAsync(c => c.TargetId == target.Id)); // none → pass → fail, once each
        Assert.Equal(Verdict.Fail, (await check.LatestResults.SingleAsync(l => l.TargetId == target.Id)).Verdict);
    }

    [Fact]
    public async Task StoreAsync_EightBatchesOfOneAgentAtOnce_ThroughTheProvidersGate_EveryResultCountedOnceAndLatestIsTheNewest()
    {
        await using var setup = app.CreateDbContext();
        var target = await TargetAsync(setup, "Eight batches at once");
        var t0 = app.Time.GetUtcNow().AddMinutes(-30);
        // Batches 0-3 pass, 4-7 fail, each result a second apart, all in one hour; they arrive at once, in any order.
        var batches = Enumerable.Range(0, 8).Select(b => Enumerable.Range(0, 5)
            .Select(i => Result(target, b < 4 ? Verdict.Pass : Verdict.Fail, t0.AddSeconds(b * 5 + i))).ToArray()).ToArray();
        // The gate the app uses for its provider (8 writers on PostgreSQL, 1 on SQLite), shared by eight requests that
        // each have their own connection, as concurrent ingest requests do.
        var gate = IngestGate.For(app.Provider);
        var contexts = batches.Select(_ => app.CreateDbContext()).ToList();
        try
        {
            var outcomes = await Task.WhenAll(batches.Select((batch, i) =>
                TestResults.Store(contexts[i], gate: gate).StoreAsync(Agent.BuiltInId, batch, new ResultStore.Sender(), default)));

            Assert.All(outcomes, o => Assert.Null(o.Refused));
            Assert.Equal(40, outcomes.Sum(o => o.Stored));
        }
        finally
        {
            foreach (var db in contexts)
                await db.DisposeAsync();
        }

        await using var check = app.CreateDbContext();
        Assert.Equal(40, await check.Results.CountAsync(r => r.TargetId == target.Id));
        var hour = await check.HourlyRollups.SingleAsync(h => h.TargetId == target.Id);
        Assert.Equal((40, 20, 20), (hour.Count, hour.PassCount, hour.FailCount));
        var day = await check.DailyRollups.SingleAsync(d => d.TargetId == target.Id);
        Assert.Equal((40, 20, 20), (day.Count, day.PassCount, day.FailCount));
        var latest = await check.LatestResults.SingleAsync(l => l.TargetId == target.Id);
        Assert.Equal((Verdict.Fail, t0.AddSeconds(39)), (latest.Verdict, latest.StartedAt));
    }

    [Fact]
    public async Task StoreAsync_PassInTwoBatchesResentOnce_OneFinishedSweepWithEachResultCountedOnce()
    {
        await using var db = app.CreateDbContext();
        var target = await TargetAsync(db, "Two batches");
        var t0 = app.Time.GetUtcNow();
        var pass = new SweepPass { Id = Guid.NewGuid(), Trigger = SweepPass.Manual, StartedAt = t0, TargetCount = 3 };
        var first = new[] { Result(target, Verdict.Pass, t0) with { Pass = pass }, Result(target, Verdict.Fail, t0.AddSeconds(1)) with { Pass = pass } };
        var last = Result(target, Verdict.Warn, t0.AddSeconds(2)) with { Pass = pass with { Last = true } };
        var store = TestResults.Store(db);
        var finished = new List<SweepSummary>();
        app.Services.GetRequiredService<LiveStatusNotifier>().SweepFinished += e => finished.Add(e.Summary);

        var opened = await store.StoreAsync(Agent.BuiltInId, first, new ResultStore.Sender(), default);
        await using (var running = app.CreateDbContext())
            Assert.Null((await running.Sweeps.SingleAsync(s => s.PassId == pass.Id)).FinishedAt); // listed as running until the last result
        var closed = await store.StoreAsync(Agent.BuiltInId, [last], new ResultStore.Sender(), default);
        var again = await store.StoreAsync(Agent.BuiltInId, [.. first, last], new ResultStore.Sender(), default);

        Assert.Empty(opened.Finished);
        var summary = Assert.Single(closed.Finished);
        Assert.Equal((SweepTrigger.Manual, 3, 1, 1, 1), (summary.Trigger, summary.TargetCount, summary.PassCount, summary.WarnCount, summary.FailCount));
        Assert.Equal(3, again.Ack.Acked.Count); // a re-sent batch is acknowledged, and counted nowhere again
        Assert.Equal(0, again.Stored);
        Assert.Empty(again.Finished);
        await using var check = app.CreateDbContext();
        var sweep = await check.Sweeps.SingleAsync(s => s.PassId == pass.Id);
        Assert.Equal((1, 1, 1), (sweep.PassCount, sweep.WarnCount, sweep.FailCount));
        Assert.Equal(t0.AddSeconds(2).AddMilliseconds(3), sweep.FinishedAt); // the last result's start plus its total
        Assert.Equal(3, await check.Results.CountAsync(r => r.SweepId == sweep.Id));
    }

    [Fact]
    public async Task StoreAsync_RevocationServerNamedByAChain_BecomesATargetOfTheChainsEndpoint()
    {
        await using var db = app.CreateDbContext();
        var learned = Revocation("crl.private-ca.example", Verdict.Fail, app.Time.GetUtcNow());
        var hostile = Revocation("<script>alert(1)</script>", Verdict.Fail, app.Time.GetUtcNow());

        var outcome = await TestResults.Store(db).StoreAsync(Agent.BuiltInId, [learned, hostile], new ResultStore.Sender(), default);

        Assert.Equal([learned.Id], outcome.Ack.Acked);
        Assert.Equal(hostile.Id, Assert.Single(outcome.Ack.Rejected).Id);
        await using var check = app.CreateDbContext();
        var target = await check.Targets.Include(t => t.Endpoint).SingleAsync(t => t.Kind == ProbeKind.Revocation);
        Assert.Equal(("crl.private-ca.example:80/tcp", RevocationPlan.ChainEndpointKey), (target.Key, target.Endpoint!.Key));
        Assert.Equal(Verdict.Fail, (await check.LatestResults.SingleAsync(l => l.TargetId == target.Id)).Verdict);

        // A later import or settings change re-expands the catalog; the learned server stays a target.
        var settings = await app.Services.CreateScope().ServiceProvider.GetRequiredService<Configuration.DashboardSettingsStore>().GetProbeSettingsAsync();
        await Catalog.CatalogTargetSync.ReexpandAsync(check, settings, app.Time.GetUtcNow(), default);
        Assert.Null((await check.Targets.AsNoTracking().SingleAsync(t => t.Id == target.Id)).RetiredAt);
    }

    private static ProbeResult Revocation(string host, Verdict verdict, DateTimeOffset at) => new()
    {
        EndpointKey = RevocationPlan.ChainEndpointKey, TargetKey = $"{host}:80/tcp", Service = RevocationPlan.Service, Host = host, Port = 80,
        Protocol = TransportProtocol.Tcp, Sources = Sources.ManagementMachine, Verdict = verdict, Phase = Phase.Http,
        Reason = ReasonCode.RevocationBlocked, Message = "blocked", StartedAt = at, TimingsMs = new Dictionary<string, double> { ["total"] = 3 },
    };

    private static ProbeResult Result(Target target, Verdict verdict, DateTimeOffset at) => new()
    {
        EndpointKey = target.Key, TargetKey = target.Key, Service = "Loopback", Host = "127.0.0.1", Port = target.Port,
        Protocol = TransportProtocol.Tcp, Sources = Sources.ManagementMachine, Verdict = verdict,
        Phase = verdict == Verdict.Pass ? Phase.None : Phase.Tcp, Reason = verdict == Verdict.Pass ? ReasonCode.Ok : ReasonCode.TcpRefused,
        Message = verdict.ToString(), StartedAt = at, TimingsMs = new Dictionary<string, double> { ["total"] = 3 },
    };
}
