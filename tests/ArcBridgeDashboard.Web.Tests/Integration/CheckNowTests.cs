using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Testing;
using ArcBridgeDashboard.Web.Configuration;
using ArcBridgeDashboard.Web.Data;
using ArcBridgeDashboard.Web.Monitoring;
using ArcBridgeDashboard.Web.Monitoring.Queries;
using ArcBridgeDashboard.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ArcBridgeDashboard.Web.Tests.Integration;

public sealed class CheckNowTests
{
    [Theory, BothProviders]
    public async Task CheckNow_LoopbackTargetsChangeBetweenSweeps_StoresResultsAndSummarisesChanges(DatabaseProvider provider)
    {
        var (root, leaf) = LoopbackTlsServer.CreatePki();
        var up = new LoopbackTlsServer(leaf);            // up, then stopped: newly failing
        var laterPort = LoopbackTlsServer.ClosedPort();  // closed, then listening: recovered
        var closedPort = LoopbackTlsServer.ClosedPort(); // closed both times: still failing
        // Its own app: on a prepared loopback catalog, with settings of its own, and it counts every result stored.
        using var app = new ArcBridgeAppFactory(new Dictionary<string, string?> { ["ArcBridge:BuiltInAgentEnabled"] = "false" }, provider: provider);
        await TestDatabase.CreateWithCatalogAsync(app.Database,
            TestDatabase.Loopback("Goes down", up.Port), TestDatabase.Loopback("Comes up", laterPort), TestDatabase.Loopback("Stays down", closedPort));
        app.CreateClient().Dispose();
        var rootPem = root.ExportCertificatePem();
        var errors = await app.InScopeAsync(sp => sp.GetRequiredService<DashboardSettingsStore>().SaveAsync(
            new DashboardSettings { ExpectedRootsPem = rootPem, TrustedRootsPem = rootPem, PhaseTimeoutSeconds = 3 }));
        Assert.Empty(errors);
        var notifier = app.Services.GetRequiredService<LiveStatusNotifier>();
        var live = new List<ResultArrivedEvent>();
        notifier.ResultArrived += e => { lock (live) live.Add(e); };
        var checkNow = app.Services.GetRequiredService<CheckNowService>();

        var first = await checkNow.CheckNow();
        up.Dispose();
        using var later = new LoopbackTlsServer(leaf, laterPort);
        var secondTask = checkNow.CheckNow();
        var joined = checkNow.CheckNow();
        var second = await secondTask;

        Assert.Same(secondTask, joined); // a second press joins the running sweep
        Assert.Equal((3, 1, 2), (first.TargetCount, first.PassCount + first.WarnCount, first.FailCount));
        Assert.Equal(["Comes up", "Stays down"], first.Changes.NewlyFailing.Select(c => c.Service).Order());
        Assert.Equal(["Goes down"], second.Changes.NewlyFailing.Select(c => c.Service));
        Assert.Equal(["Comes up"], second.Changes.Recovered.Select(c => c.Service));
        Assert.Equal(["Stays down"], second.Changes.StillFailing.Select(c => c.Service));
        Assert.Equal(ReasonCode.TcpRefused, second.Changes.NewlyFailing[0].Reason);
        Assert.Equal(first.SweepId, second.Changes.PreviousSweepId);
        lock (live) Assert.Equal(6, live.Count);

        await using var db = app.CreateDbContext();
        Assert.Equal(6, await db.Results.CountAsync());
        Assert.All(await db.Sweeps.ToListAsync(), s => Assert.Equal(SweepTrigger.Manual, s.Trigger));
        // Probes stamp results with the real clock (network timeouts are real); judge staleness on it too.
        var now = DateTimeOffset.UtcNow;
        var overview = await new OverviewQuery(db).GetAsync(now, TimeSpan.FromMinutes(5));
        Assert.Equal("1 of 3 required endpoint × source checks pass", overview.Readiness.Text);
        var goesDown = overview.Rows.Single(r => r.Service == "Goes down").Cells[Sources.ManagementMachine];
        Assert.Equal((Verdict.Fail, Phase.Tcp, ReasonCode.TcpRefused), (goesDown.Verdict, goesDown.Phase, goesDown.Reason));
        var detail = await new EndpointDetailQuery(db).GetAsync(overview.Rows.Single(r => r.Service == "Goes down").EndpointId,
            now, TimeSpan.FromMinutes(5), TimeSpan.FromDays(1));
        Assert.NotNull(detail!.LatestFailure);
        Assert.False(string.IsNullOrWhiteSpace(detail.LatestFailure.Remedy));
        Assert.Equal([Verdict.Pass, Verdict.Fail], detail.Timeline.OrderBy(t => t.At).Select(t => t.To == Verdict.Warn ? Verdict.Pass : t.To));
    }
}
