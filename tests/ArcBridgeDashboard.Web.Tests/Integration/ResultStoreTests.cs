using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Data;
using ArcBridgeDashboard.Web.Monitoring;
using ArcBridgeDashboard.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ArcBridgeDashboard.Web.Tests.Integration;

public sealed class ResultStoreTests
{
    private static readonly Dictionary<string, string?> NoSchedule = new() { ["ArcBridge:BuiltInAgentEnabled"] = "false" };

    [Fact]
    public async Task WriteAsync_SameResultIdTwice_StoresOneRow()
    {
        using var app = await StartWithLoopbackCatalogAsync();
        await using var db = app.CreateDbContext();
        var target = await db.Targets.SingleAsync();
        var result = Result(target, Verdict.Pass, DateTimeOffset.UtcNow);

        var first = await ResultWriter.WriteAsync(db, Agent.BuiltInId, null, target.Id, result, default);
        var second = await ResultWriter.WriteAsync(db, Agent.BuiltInId, null, target.Id, result, default);

        Assert.True(first);
        Assert.False(second);
        await using var check = app.CreateDbContext();
        Assert.Equal(1, await check.Results.CountAsync(r => r.ResultId == result.Id));
        Assert.Equal(1, (await check.HourlyRollups.SingleAsync()).Count);
        Assert.Single(await check.StateChanges.ToListAsync());
    }

    [Fact]
    public async Task WriteAsync_OlderResultAfterNewer_LatestKeepsNewerAndTimelineRecordsChanges()
    {
        using var app = await StartWithLoopbackCatalogAsync();
        await using var db = app.CreateDbContext();
        var target = await db.Targets.SingleAsync();
        var t0 = new DateTimeOffset(2026, 11, 29, 5, 0, 0, TimeSpan.Zero);

        await ResultWriter.WriteAsync(db, Agent.BuiltInId, null, target.Id, Result(target, Verdict.Pass, t0), default);
        await ResultWriter.WriteAsync(db, Agent.BuiltInId, null, target.Id, Result(target, Verdict.Fail, t0.AddMinutes(10)), default);
        await ResultWriter.WriteAsync(db, Agent.BuiltInId, null, target.Id, Result(target, Verdict.Pass, t0.AddMinutes(5)), default);

        await using var check = app.CreateDbContext();
        var latest = await check.LatestResults.SingleAsync();
        Assert.Equal((Verdict.Fail, t0.AddMinutes(10)), (latest.Verdict, latest.StartedAt));
        Assert.Equal([null, Verdict.Pass], (await check.StateChanges.OrderBy(s => s.Id).ToListAsync()).Select(s => s.From));
    }

    [Fact]
    public async Task PurgeAsync_ResultsOlderThanRetention_DeletesOnlyThose()
    {
        using var app = await StartWithLoopbackCatalogAsync(new() { ["ArcBridge:RetentionDays"] = "30" });
        await using var db = app.CreateDbContext();
        var target = await db.Targets.SingleAsync();
        var now = app.Time.GetUtcNow();
        await ResultWriter.WriteAsync(db, Agent.BuiltInId, null, target.Id, Result(target, Verdict.Pass, now.AddDays(-31)), default);
        await ResultWriter.WriteAsync(db, Agent.BuiltInId, null, target.Id, Result(target, Verdict.Pass, now.AddDays(-29)), default);

        db.Sweeps.AddRange(new Sweep { AgentId = Agent.BuiltInId, StartedAt = now.AddDays(-31) }, new Sweep { AgentId = Agent.BuiltInId, StartedAt = now.AddDays(-1) });
        await db.SaveChangesAsync();

        var retention = app.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<RetentionService>().Single();
        var deleted = await retention.PurgeAsync(db, default);

        Assert.Equal(1, deleted);
        await using var check = app.CreateDbContext();
        Assert.Equal(now.AddDays(-29), (await check.Results.SingleAsync()).StartedAt);
        Assert.Equal(1, await check.LatestResults.CountAsync());
        Assert.Equal(now.AddDays(-1), (await check.Sweeps.SingleAsync()).StartedAt);
        Assert.All(await check.HourlyRollups.ToListAsync(), h => Assert.True(h.HourStart >= now.AddDays(-30)));
    }

    private static async Task<ArcBridgeAppFactory> StartWithLoopbackCatalogAsync(Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>(NoSchedule);
        foreach (var (k, v) in extra ?? []) settings[k] = v;
        var app = new ArcBridgeAppFactory(settings);
        await TestDatabase.CreateWithCatalogAsync(app.DatabasePath, TestDatabase.Loopback("Loopback", LoopbackTlsServer.ClosedPort()));
        app.CreateClient().Dispose();
        return app;
    }

    private static ProbeResult Result(Target target, Verdict verdict, DateTimeOffset at) => new()
    {
        EndpointKey = target.Key, TargetKey = target.Key, Service = "Loopback", Host = "127.0.0.1", Port = target.Port,
        Protocol = TransportProtocol.Tcp, Sources = Sources.ManagementMachine, Verdict = verdict,
        Phase = verdict == Verdict.Pass ? Phase.None : Phase.Tcp, Reason = verdict == Verdict.Pass ? ReasonCode.Ok : ReasonCode.TcpRefused,
        Message = verdict.ToString(), StartedAt = at, TimingsMs = new Dictionary<string, double> { ["total"] = 3 },
    };
}
