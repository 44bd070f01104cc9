using ArcBridgeDashboard.Testing;
using ArcBridgeDashboard.Web.Configuration;
using ArcBridgeDashboard.Web.Data;
using ArcBridgeDashboard.Web.Monitoring;
using ArcBridgeDashboard.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ArcBridgeDashboard.Web.Tests.Integration;

/// <summary>Each test makes its own app: it drives that app's fake clock and counts every sweep of its built-in agent.</summary>
public sealed class SchedulerTests
{
    [Theory, BothProviders]
    public async Task BuiltInAgentScheduler_FakeTimeAdvances_SweepsAfterFirstDelayThenEveryFiveMinutesNotBefore(DatabaseProvider provider)
    {
        using var app = new ArcBridgeAppFactory(new Dictionary<string, string?> { ["ArcBridge:FirstSweepDelay"] = "00:00:10" }, provider: provider);
        // One closed loopback port: every sweep is quick (TCP refused) and touches nothing outside this machine.
        await TestDatabase.CreateWithCatalogAsync(app.Database, TestDatabase.Loopback("Closed", LoopbackTlsServer.ClosedPort()));
        app.CreateClient().Dispose();
        var scheduler = app.Services.GetServices<IHostedService>().OfType<BuiltInAgentScheduler>().Single();

        await WaitAsleepAsync(scheduler, finishedSweeps: 0, app);
        Assert.Equal(0, await FinishedSweepsAsync(app));

        app.Time.Advance(TimeSpan.FromSeconds(10));
        await WaitAsleepAsync(scheduler, finishedSweeps: 1, app);

        // 4 min 59 s after the first sweep: nothing yet (the loop may wake up, but nothing is due).
        for (var i = 0; i < 5; i++)
        {
            app.Time.Advance(i < 4 ? TimeSpan.FromMinutes(1) : TimeSpan.FromSeconds(59));
            await WaitAsleepAsync(scheduler, finishedSweeps: 1, app);
        }
        Assert.Equal(1, await FinishedSweepsAsync(app));

        app.Time.Advance(TimeSpan.FromSeconds(1));
        await WaitAsleepAsync(scheduler, finishedSweeps: 2, app);

        await using var db = app.CreateDbContext();
        var sweeps = await db.Sweeps.OrderBy(s => s.Id).ToListAsync();
        Assert.All(sweeps, s => Assert.Equal(SweepTrigger.Schedule, s.Trigger));
        Assert.Equal(TimeSpan.FromMinutes(5), sweeps[1].StartedAt - sweeps[0].StartedAt);
        Assert.Equal(2, await db.Results.CountAsync());
    }

    [Theory, BothProviders]
    public async Task BuiltInAgentScheduler_EndpointWithOneMinuteOverride_IsProbedEveryMinuteOthersEveryFive(DatabaseProvider provider)
    {
        using var app = new ArcBridgeAppFactory(new Dictionary<string, string?> { ["ArcBridge:FirstSweepDelay"] = "00:00:10" }, provider: provider);
        await TestDatabase.CreateWithCatalogAsync(app.Database,
            TestDatabase.Loopback("Fast", LoopbackTlsServer.ClosedPort()), TestDatabase.Loopback("Normal", LoopbackTlsServer.ClosedPort()));
        await using (var setup = TestDatabase.Open(app.Database))
        {
            await setup.Endpoints.Where(e => e.Service == "Fast").ExecuteUpdateAsync(u => u.SetProperty(e => e.IntervalSeconds, 60));
        }
        app.CreateClient().Dispose();
        var scheduler = app.Services.GetServices<IHostedService>().OfType<BuiltInAgentScheduler>().Single();
        await WaitAsleepAsync(scheduler, finishedSweeps: 0, app);

        app.Time.Advance(TimeSpan.FromSeconds(10));
        await WaitAsleepAsync(scheduler, finishedSweeps: 1, app);
        for (var minute = 1; minute <= 5; minute++)
        {
            app.Time.Advance(TimeSpan.FromMinutes(1));
            await WaitAsleepAsync(scheduler, finishedSweeps: 1 + minute, app);
        }

        await using var db = app.CreateDbContext();
        var perService = await db.Results.GroupBy(r => r.Target!.Endpoint!.Service).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count);
        Assert.Equal(6, perService["Fast"]);   // at 0:10 and every minute after
        Assert.Equal(2, perService["Normal"]); // at 0:10 and 5:10
    }

    private static Task<int> FinishedSweepsAsync(ArcBridgeAppFactory app)
    {
        using var db = app.CreateDbContext();
        return Task.FromResult(db.Sweeps.Count(s => s.FinishedAt != null));
    }

    // The loop is asleep again (so the next Advance lands on a registered timer) and the sweeps are written.
    private static Task WaitAsleepAsync(BuiltInAgentScheduler scheduler, int finishedSweeps, ArcBridgeAppFactory app) =>
        Eventually.UntilAsync(
            async () => (scheduler.SleepingUntil is not null && !app.Services.GetRequiredService<CheckNowService>().IsRunning, await FinishedSweepsAsync(app)),
            v => v.Item1 && v.Item2 == finishedSweeps,
            $"scheduler asleep with {finishedSweeps} finished sweeps");
}
