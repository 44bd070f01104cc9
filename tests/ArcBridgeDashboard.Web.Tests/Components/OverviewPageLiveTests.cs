using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Agents;
using ArcBridgeDashboard.Web.Components.Pages.Overview;
using ArcBridgeDashboard.Web.Configuration;
using ArcBridgeDashboard.Web.Data;
using ArcBridgeDashboard.Web.Monitoring;
using ArcBridgeDashboard.Web.Monitoring.Queries;
using ArcBridgeDashboard.Web.Tests.Support;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace ArcBridgeDashboard.Web.Tests.Components;

/// <summary>
/// The real overview page over a real database and the real notifier: results that arrive during a sweep change the
/// rows without a reload, and the change summary appears when the sweep ends. On both providers (<see cref="OnSqlite"/>,
/// <see cref="OnPostgreSql"/>).
/// </summary>
public abstract class OverviewPageLiveTests(DatabaseProvider provider) : DashboardComponentTest
{
    public sealed class OnSqlite() : OverviewPageLiveTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgreSql() : OverviewPageLiveTests(DatabaseProvider.PostgreSql);

    private static readonly DateTimeOffset Now = new(2026, 11, 29, 6, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private const string Mm = nameof(Sources.ManagementMachine);

    private readonly string _database = TestDatabase.CreateScratch(provider, "test.db");
    private Bunit.TestDoubles.BunitAuthorizationContext _auth = default!;

    private LiveStatusNotifier Notifier => Services.GetRequiredService<LiveStatusNotifier>(); // a singleton


    protected override void ConfigureServices(IServiceCollection services)
    {
        services.AddLogging();
        services.AddOptions<ArcBridgeOptions>();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(Now));
        services.AddDbContextFactory<ArcBridgeDbContext>(o =>
        {
            if (TestDatabase.IsPostgreSql(_database))
                o.UseNpgsql(_database);
            else
                o.UseSqlite(DataExtensions.BuildConnectionString(_database));
        });
        services.AddSingleton(new ArcBridgeDashboard.Web.Secrets.SecretProtector(new Microsoft.AspNetCore.DataProtection.EphemeralDataProtectionProvider()));
        services.AddScoped<DashboardSettingsStore>();
        // The settings store reads the (encrypted) proxy password: an in-memory key ring is enough here.
        services.AddSingleton(new ArcBridgeDashboard.Web.Secrets.SecretProtector(new Microsoft.AspNetCore.DataProtection.EphemeralDataProtectionProvider()));
        services.AddScoped<OverviewQuery>();
        services.AddScoped<ReadinessTrendQuery>();
        services.AddSingleton<LiveStatusNotifier>();
        services.AddSingleton<IHostApplicationLifetime, NoLifetime>();
        services.AddSingleton<CheckNowService>();
        // Check now also reaches remote agents (none here): the real service over a real hub context.
        services.AddSignalR();
        services.AddOptions<AgentOptions>();
        services.AddSingleton<AgentPresence>();
        services.AddSingleton<AgentCheckTracker>();
        services.AddSingleton<AgentCommandService>();
        services.AddScoped<Monitoring.Changes.AnnotationsQuery>();
        services.AddScoped<Monitoring.Changes.AnnotationService>();
        services.AddSingleton<Monitoring.Changes.CheckRunService>();
        // The page re-checks Operator rights before Check now and writes the audit entry.
        _auth = AddAuthorization();
        _auth.SetAuthorized("test-operator").SetRoles(ArcBridgeDashboard.Web.Accounts.DashboardRoles.Operator)
            .SetPolicies(ArcBridgeDashboard.Web.Accounts.Policies.CanRead, ArcBridgeDashboard.Web.Accounts.Policies.CanOperate);
        services.AddScoped<ArcBridgeDashboard.Web.Accounts.CircuitAccess>();
        services.AddSingleton<ArcBridgeDashboard.Web.Accounts.AuditLog>();
    }

    private async Task<(int Target1, int Target2)> SeedAsync(DateTimeOffset target1At)
    {
        await TestDatabase.CreateWithCatalogAsync(_database, TestDatabase.Loopback("Loop A", 1), TestDatabase.Loopback("Loop B", 2));
        await using var db = TestDatabase.Open(_database);
        var ids = await db.Targets.OrderBy(t => t.Port).Select(t => t.Id).ToListAsync();
        db.LatestResults.AddRange(Latest(ids[0], Verdict.Pass, target1At), Latest(ids[1], Verdict.Pass, Now));
        await db.SaveChangesAsync();
        return (ids[0], ids[1]);
    }

    private static LatestResult Latest(int targetId, Verdict verdict, DateTimeOffset at) => new()
    {
        AgentId = Agent.BuiltInId, TargetId = targetId, ResultRowId = targetId, StartedAt = at, StateSince = at, Verdict = verdict,
        Phase = verdict == Verdict.Pass ? Phase.None : Phase.Tcp, Reason = verdict == Verdict.Pass ? ReasonCode.Ok : ReasonCode.TcpRefused,
        Message = verdict == Verdict.Pass ? "OK" : "Connection refused", TotalMs = 3,
    };

    private static string Status(IRenderedComponent<OverviewPage> cut, int port) =>
        cut.Find($"[data-testid='cell-127.0.0.1:{port}/tcp-{Mm}']").GetAttribute("data-status")!;

    [Fact]
    public async Task ResultArrived_DuringSweep_RowChangesLiveAndSummaryAppearsAtTheEnd()
    {
        var (target1, _) = await SeedAsync(Now);
        var cut = Render<OverviewPage>();
        cut.WaitForAssertion(() => Assert.Equal("Pass", Status(cut, 1)), Wait);

        Notifier.NotifySweepStarted(new SweepStartedEvent(7, Agent.BuiltInId, SweepTrigger.Manual, Now, 2));
        await using (var db = TestDatabase.Open(_database))
        {
            await db.LatestResults.Where(l => l.TargetId == target1).ExecuteDeleteAsync();
            db.LatestResults.Add(Latest(target1, Verdict.Fail, Now));
            await db.SaveChangesAsync();
        }
        Notifier.NotifyResultArrived(new ResultArrivedEvent(7, Agent.BuiltInId, target1, Probe(target1)));

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("Fail", Status(cut, 1));
            Assert.Contains("1/2", cut.Find("[data-testid=check-now]").TextContent);
        }, Wait);
        Assert.Empty(cut.FindAll("[data-testid=change-summary]"));

        var changed = new ChangedTarget(target1, 1, "127.0.0.1:1/tcp", "Loop A", Agent.BuiltInId, "built-in", Sources.ManagementMachine,
            ReasonCode.TcpRefused, "Connection refused");
        Notifier.NotifySweepFinished(new SweepFinishedEvent(new SweepSummary(7, Agent.BuiltInId, SweepTrigger.Manual, Now, Now, 2, 1, 0, 1,
            new SweepChangeSummary([changed], [], [], 6))));

        cut.WaitForAssertion(() =>
        {
            Assert.Contains("Newly failing (1)", cut.Find("[data-testid=change-summary]").TextContent);
            Assert.Contains("127.0.0.1:1/tcp", cut.Find("[data-testid=newly-failing-item]").TextContent);
            Assert.False(cut.Find("[data-testid=check-now]").HasAttribute("disabled"));
        }, Wait);
        Assert.Equal("1 of 2 required endpoint × source checks pass", cut.Find("[data-testid=readiness-text]").TextContent.Trim());
    }

    [Fact]
    public async Task Render_PassOlderThanThreeIntervals_ShowsStaleAndDoesNotCountAsPassing()
    {
        await SeedAsync(Now.AddMinutes(-16));

        var cut = Render<OverviewPage>();

        cut.WaitForAssertion(() => Assert.Equal("Stale", Status(cut, 1)), Wait);
        Assert.Equal("Pass", Status(cut, 2));
        Assert.Equal("1 of 2 required endpoint × source checks pass", cut.Find("[data-testid=readiness-text]").TextContent.Trim());
    }

    [Fact]
    public async Task Render_WithRollups_ShowsTrendShareHistoryBarsAndSwitchesToDaysThenAYear()
    {
        var (target1, target2) = await SeedAsync(Now);
        await using (var db = TestDatabase.Open(_database))
        {
            var hour = Now.AddHours(-1);
            db.HourlyRollups.AddRange(
                new HourlyRollup { TargetId = target1, AgentId = Agent.BuiltInId, HourStart = hour, Count = 12, PassCount = 12 },
                new HourlyRollup { TargetId = target2, AgentId = Agent.BuiltInId, HourStart = hour, Count = 12, PassCount = 9, FailCount = 3 });
            // The same hour as ingest writes it into the day (the year view's source), and a day 200 days back.
            var day = new DateTimeOffset(hour.UtcDateTime.Date, TimeSpan.Zero);
            var bit = 1 << hour.UtcDateTime.Hour;
            db.DailyRollups.AddRange(
                new DailyRollup { TargetId = target1, AgentId = Agent.BuiltInId, DayStart = day, Count = 12, PassCount = 12, HourMask = bit },
                new DailyRollup { TargetId = target2, AgentId = Agent.BuiltInId, DayStart = day, Count = 12, PassCount = 9, FailCount = 3, HourMask = bit, FailMask = bit },
                new DailyRollup { TargetId = target1, AgentId = Agent.BuiltInId, DayStart = day.AddDays(-200), Count = 24, PassCount = 24, HourMask = 0xFFFFFF });
            await db.SaveChangesAsync();
        }

        var cut = Render<OverviewPage>();

        cut.WaitForAssertion(() => Assert.Equal(48, cut.FindAll("[data-testid=trend-bucket]").Count), Wait);
        var buckets = cut.FindAll("[data-testid=trend-bucket]");
        Assert.Equal("50", buckets[^2].GetAttribute("data-share")); // one of two required checks failed in that hour
        Assert.Equal("none", buckets[^3].GetAttribute("data-share"));
        var bar = cut.FindAll($"[data-testid='history-127.0.0.1:2/tcp-{Mm}'] li");
        Assert.Equal(24, bar.Count);
        Assert.Equal("Fail", bar[^2].GetAttribute("data-status"));

        // Found and clicked inside the renderer: the page re-renders on its own timer, which can replace the button between a Find and a Click.
        await cut.InvokeAsync(() => cut.Find("[data-testid=trend-range-days]").ClickAsync(new()));

        cut.WaitForAssertion(() => Assert.Equal(30, cut.FindAll("[data-testid=trend-bucket]").Count), Wait);
        Assert.Equal("50", cut.FindAll("[data-testid=trend-bucket]")[^1].GetAttribute("data-share"));

        await cut.InvokeAsync(() => cut.Find("[data-testid=trend-range-year]").ClickAsync(new()));

        cut.WaitForAssertion(() => Assert.Equal(53, cut.FindAll("[data-testid=trend-bucket]").Count), Wait);
        var weeks = cut.FindAll("[data-testid=trend-bucket]").Select(b => b.GetAttribute("data-share")).Where(s => s != "none").ToList();
        Assert.Equal(["100", "50"], weeks); // 200 days ago all 24 check-hours passed; this week one of two failed
        Assert.Equal("true", cut.Find("[data-testid=trend-range-year]").GetAttribute("aria-pressed"));
        Assert.Contains("Lowest 50 %", cut.Find("[data-testid=trend-summary]").TextContent);
    }

    private static ProbeResult Probe(int targetId) => new()
    {
        EndpointKey = "127.0.0.1:1/tcp", TargetKey = "127.0.0.1:1/tcp", Service = "Loop A", Host = "127.0.0.1", Port = 1,
        Protocol = TransportProtocol.Tcp, Sources = Sources.ManagementMachine, Verdict = Verdict.Fail, Phase = Phase.Tcp,
        Reason = ReasonCode.TcpRefused, Message = "Connection refused", StartedAt = Now,
    };

    [Fact]
    public async Task Viewer_SeesNoCheckNowNorAnnotate_AndACraftedCheckNowEventIsRefused()
    {
        await SeedAsync(Now);
        _auth.SetAuthorized("test-viewer").SetRoles(ArcBridgeDashboard.Web.Accounts.DashboardRoles.Viewer)
            .SetPolicies(ArcBridgeDashboard.Web.Accounts.Policies.CanRead);

        var cut = Render<OverviewPage>();

        cut.WaitForAssertion(() => Assert.Equal("Pass", Status(cut, 2)), Wait);
        Assert.Empty(cut.FindAll("[data-testid=check-now]"));
        Assert.Empty(cut.FindAll("[data-testid=overview-annotations]"));
        // What a hand-made circuit message does: run the page's Check now handler although no button is shown.
        var view = cut.FindComponent<OverviewView>();
        await cut.InvokeAsync(() => view.Instance.OnCheckNow.InvokeAsync());
        cut.WaitForAssertion(() => Assert.Contains("Only an Operator or Admin can do this.", cut.Find("[data-testid=overview-error]").TextContent, StringComparison.Ordinal), Wait);
        await using var db = TestDatabase.Open(_database);
        Assert.Empty(await db.CheckRuns.ToListAsync());
        Assert.Empty(await db.AuditEntries.ToListAsync());
    }

    protected override Task CleanupAsync()
    {
        try
        {
            TestDatabase.Delete(_database);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless; failing the test over it is not.
        }
        return Task.CompletedTask;
    }

    private sealed class NoLifetime : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;
        public CancellationToken ApplicationStopping => CancellationToken.None;
        public CancellationToken ApplicationStopped => CancellationToken.None;
        public void StopApplication() { }
    }
}
