using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Agents;
using ArcBridgeDashboard.Web.Components.Pages.Changes;
using ArcBridgeDashboard.Web.Configuration;
using ArcBridgeDashboard.Web.Data;
using ArcBridgeDashboard.Web.Monitoring;
using ArcBridgeDashboard.Web.Monitoring.Changes;
using ArcBridgeDashboard.Web.Monitoring.Queries;
using ArcBridgeDashboard.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static ArcBridgeDashboard.Web.Tests.Changes.ChangeTestData;

namespace ArcBridgeDashboard.Web.Tests.Changes;

/// <summary>
/// Flap damping through the real store on a real SQLite file and a real PostgreSQL database (<see cref="OnSqlite"/>,
/// <see cref="OnPostgreSql"/>; ArcBridge:ConfirmAfterResults = 2, the default). The tests share one app per provider;
/// each writes only its own endpoint's rows and counts only its own target's events.
/// </summary>
public abstract class ChangeTrackingTests(ChangeTrackingTests.ChangesApp app)
{
    public sealed class OnSqlite(ChangesApp.Sqlite app) : ChangeTrackingTests(app), IClassFixture<ChangesApp.Sqlite>;

    public sealed class OnPostgreSql(ChangesApp.PostgreSql app) : ChangeTrackingTests(app), IClassFixture<ChangesApp.PostgreSql>;

    public abstract class ChangesApp(DatabaseProvider provider) : LoopbackCatalogApp(provider,
        TestDatabase.Loopback("Flapping", 1001), TestDatabase.Loopback("Breaks", 1002), TestDatabase.Loopback("Check now", 1003),
        TestDatabase.Loopback("Reason", 1004), TestDatabase.Loopback("Revoked overview", 1005))
    {
        public sealed class Sqlite() : ChangesApp(DatabaseProvider.Sqlite);

        public sealed class PostgreSql() : ChangesApp(DatabaseProvider.PostgreSql);
    }

    private async Task<List<ConfirmedChangeEvent>> StoreAsync(Target target, params ProbeResult[] results)
    {
        var raised = new List<ConfirmedChangeEvent>();
        void OnConfirmed(IReadOnlyList<ConfirmedChangeEvent> changes)
        {
            lock (raised) raised.AddRange(changes.Where(c => c.TargetId == target.Id));
        }
        var notifier = app.Services.GetRequiredService<LiveStatusNotifier>();
        notifier.ChangesConfirmed += OnConfirmed;
        try
        {
            // One batch per result, as a sweep stores them.
            foreach (var result in results)
                await app.InScopeAsync(sp => sp.GetRequiredService<ResultStore>().StoreAsync(Agent.BuiltInId, [result], new ResultStore.Sender(), default));
        }
        finally
        {
            notifier.ChangesConfirmed -= OnConfirmed;
        }
        lock (raised) return [.. raised];
    }

    private async Task<List<ChangeEvent>> EventsAsync(Target target)
    {
        await using var db = app.CreateDbContext();
        return await db.ChangeEvents.Where(c => c.TargetId == target.Id).OrderBy(c => c.Id).ToListAsync();
    }

    [Fact]
    public async Task Store_AlternatingResults_ConfirmsNothingAndRaisesNothing()
    {
        await using var db = app.CreateDbContext();
        var target = await TargetAsync(db, "Flapping");
        var t0 = app.Time.GetUtcNow().AddHours(-1);

        var raised = await StoreAsync(target, [.. Enumerable.Range(0, 8).Select(i => Result(target, i % 2 == 0 ? Verdict.Pass : Verdict.Fail, t0.AddMinutes(5 * i)))]);

        Assert.Empty(raised);
        Assert.Empty(await EventsAsync(target));
        // The raw verdict flips are still history on the drill-down's timeline.
        Assert.Equal(8, await db.StateChanges.CountAsync(s => s.TargetId == target.Id));
    }

    [Fact]
    public async Task Store_TwoConsecutiveFailuresAfterPassing_ConfirmOneChangeRaisedOnce()
    {
        await using var db = app.CreateDbContext();
        var target = await TargetAsync(db, "Breaks");
        var t0 = app.Time.GetUtcNow().AddHours(-1);
        await StoreAsync(target, Result(target, Verdict.Pass, t0), Result(target, Verdict.Pass, t0.AddMinutes(5)));

        var oneFailure = await StoreAsync(target, Result(target, Verdict.Fail, t0.AddMinutes(10)));
        var twoFailures = await StoreAsync(target, Result(target, Verdict.Fail, t0.AddMinutes(15)));
        var threeFailures = await StoreAsync(target, Result(target, Verdict.Fail, t0.AddMinutes(20)));

        Assert.Empty(oneFailure);
        var change = Assert.Single(twoFailures);
        Assert.Empty(threeFailures);
        Assert.Equal((Verdict.Pass, Verdict.Fail, ReasonCode.ProxyDenied, "Breaks", "127.0.0.1", "built-in"),
            (change.From, change.To, change.Reason, change.Service, change.Host, change.AgentName));
        Assert.Equal(t0.AddMinutes(10), change.At); // the state began with the first failure
        var events = await EventsAsync(target);
        Assert.Equal([null, Verdict.Pass], events.Select(e => e.From)); // the first confirmed state, then the change
        Assert.Equal(change.ChangeId, events[^1].Id);
    }

    [Fact]
    public async Task Store_OneCheckNowResult_ConfirmsAtOnce()
    {
        await using var db = app.CreateDbContext();
        var target = await TargetAsync(db, "Check now");
        var t0 = app.Time.GetUtcNow().AddHours(-1);
        await StoreAsync(target, Result(target, Verdict.Pass, t0), Result(target, Verdict.Pass, t0.AddMinutes(5)));

        var raised = await StoreAsync(target, Result(target, Verdict.Fail, t0.AddMinutes(6), manual: true));

        Assert.Equal(Verdict.Fail, Assert.Single(raised).To);
        Assert.True((await EventsAsync(target))[^1].ByCheckNow);
    }

    [Fact]
    public async Task Store_FailureReasonChanges403To407_IsAChangeOfItsOwnOnWhatChanged()
    {
        await using var db = app.CreateDbContext();
        var target = await TargetAsync(db, "Reason");
        var t0 = app.Time.GetUtcNow().AddHours(-1);
        await StoreAsync(target, Result(target, Verdict.Fail, t0, ReasonCode.ProxyDenied), Result(target, Verdict.Fail, t0.AddMinutes(5), ReasonCode.ProxyDenied));

        var raised = await StoreAsync(target,
            Result(target, Verdict.Fail, t0.AddMinutes(10), ReasonCode.ProxyAuthRequired), Result(target, Verdict.Fail, t0.AddMinutes(15), ReasonCode.ProxyAuthRequired));

        var change = Assert.Single(raised);
        Assert.Equal((Verdict.Fail, Verdict.Fail, ReasonCode.ProxyAuthRequired), (change.From, change.To, change.Reason));
        var rows = await new ChangesQuery(db).InWindowAsync(t0, t0.AddHours(1), new ChangeFilter(Service: "Reason", Reason: ReasonCode.ProxyAuthRequired));
        var row = Assert.Single(rows);
        Assert.Equal((ReasonCode.ProxyDenied, "Reason", "127.0.0.1"), (row.FromReason, row.Service, row.Host));
        Assert.Equal("still failing, now ProxyAuthRequired instead of ProxyDenied", ChangesMapper.ToLine(row).Change);
        Assert.Empty(await new ChangesQuery(db).InWindowAsync(t0, t0.AddHours(1), new ChangeFilter(Service: "Reason", AgentId: 999)));
    }

    [Fact]
    public async Task Revoke_AgentWithAFreshFailure_LeavesOverviewAndReadinessAtOnceButWhatChangedKeepsItMarked()
    {
        await using var db = app.CreateDbContext();
        var target = await TargetAsync(db, "Revoked overview");
        var now = app.Time.GetUtcNow();
        var gone = new Agent { Name = "old-mgmt", Role = Sources.ManagementMachine, CreatedAt = now.AddDays(-1) };
        db.Agents.Add(gone);
        await db.SaveChangesAsync();
        await app.InScopeAsync(sp => sp.GetRequiredService<ResultStore>().StoreAsync(gone.Id, [Result(target, Verdict.Fail, now.AddMinutes(-2), manual: true)], new ResultStore.Sender(), default));
        await StoreAsync(target, Result(target, Verdict.Pass, now.AddMinutes(-1), manual: true));
        Cell(await new OverviewQuery(db).GetAsync(now, TimeSpan.FromMinutes(5))).Agents.Single(a => a.AgentName == "old-mgmt");

        await app.InScopeAsync(sp => sp.GetRequiredService<EnrollmentService>().RevokeAsync(gone.Id));

        var overview = await new OverviewQuery(db).GetAsync(now, TimeSpan.FromMinutes(5));
        var cell = Cell(overview);
        Assert.Equal((Monitoring.Status.DisplayStatus.Pass, "built-in"), (cell.Status, Assert.Single(cell.Agents).AgentName));
        Assert.Equal(0, overview.Rows.Count(r => r.Cells.Values.Any(c => c.Status == Monitoring.Status.DisplayStatus.Fail && r.TargetId == target.Id)));
        var history = await new ChangesQuery(db).InWindowAsync(now.AddHours(-1), now, new ChangeFilter(AgentId: gone.Id));
        Assert.True(Assert.Single(history).AgentRevoked);
        Assert.Equal("old-mgmt (revoked agent)", ChangesMapper.ToLine(history[0]).Agent);

        OverviewCell Cell(OverviewModel model) => model.Rows.Single(r => r.TargetId == target.Id).Cells[Sources.ManagementMachine];
    }
}
