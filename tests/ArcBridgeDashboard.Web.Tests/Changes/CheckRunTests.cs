using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Configuration;
using ArcBridgeDashboard.Web.Data;
using ArcBridgeDashboard.Web.Monitoring;
using ArcBridgeDashboard.Web.Monitoring.Changes;
using ArcBridgeDashboard.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static ArcBridgeDashboard.Web.Tests.Changes.ChangeTestData;

namespace ArcBridgeDashboard.Web.Tests.Changes;

/// <summary>
/// Check now as one run across every online agent, on the real app and store. Each test makes its own app: the
/// fake clock is moved past the deadline, and settings are saved.
/// </summary>
public sealed class CheckRunTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Theory, BothProviders]
    public async Task CheckNow_RemoteAgentLate_WhatChangedWaitsForTheDeadlineNamesItThenAddsItsChangesWhenItFinishes(DatabaseProvider provider)
    {
        using var app = new ArcBridgeAppFactory(new Dictionary<string, string?>
        {
            ["ArcBridge:BuiltInAgentEnabled"] = "false", ["ArcBridge:CheckNowDeadline"] = "00:01:00",
        }, provider: provider);
        await TestDatabase.CreateWithCatalogAsync(app.Database, TestDatabase.Loopback("Behind the proxy", 2001));
        app.CreateClient().Dispose();
        await using var db = app.CreateDbContext();
        var now = app.Time.GetUtcNow();
        var vm = new Agent { Name = "vm-remote", Role = Sources.ManagementMachine, CreatedAt = now.AddDays(-1), LastSeenAt = now };
        db.Agents.Add(vm);
        await db.SaveChangesAsync();
        var target = await TargetAsync(db, "Behind the proxy");
        // Passing before: two scheduled passes confirm it.
        foreach (var minutes in new[] { -10, -5 })
            await app.InScopeAsync(sp => sp.GetRequiredService<ResultStore>().StoreAsync(vm.Id, [Result(target, Verdict.Pass, now.AddMinutes(minutes), schedulePass: true)], new ResultStore.Sender(), default));
        var runs = app.Services.GetRequiredService<CheckRunService>();
        var states = new List<CheckRunState>();
        runs.Changed += s => { lock (states) states.Add(s); };

        var started = await runs.StartAsync();

        Assert.False(started.Settled); // the remote agent has not answered: no What changed yet
        Assert.Equal(["vm-remote"], started.Agents.Select(a => a.Name));
        Assert.Equal(started.Id, (await runs.StartAsync()).Id); // a second press joins the waiting run
        Assert.Equal(1, await db.CheckRuns.CountAsync());

        app.Time.Advance(TimeSpan.FromMinutes(1));
        var late = await Eventually.UntilAsync(() => Task.FromResult(runs.Current!), s => s.DeadlinePassed, "the deadline to pass", 60);
        Assert.True(late.Settled);
        Assert.Equal(["vm-remote"], late.Late.Select(a => a.Name));
        Assert.Empty(late.NewlyFailing);

        // The late agent's check-now pass arrives: the endpoint now fails behind the proxy.
        await app.InScopeAsync(sp => sp.GetRequiredService<ResultStore>().StoreAsync(vm.Id,
            [Result(target, Verdict.Fail, app.Time.GetUtcNow(), ReasonCode.ProxyDenied, manual: true)], new ResultStore.Sender(), default));

        var done = await Eventually.UntilAsync(() => Task.FromResult(runs.Current!), s => s.AllFinished, "the late agent to finish", 60);
        Assert.Empty(done.Late);
        var failing = Assert.Single(done.NewlyFailing);
        Assert.Equal(("vm-remote", "Behind the proxy", "127.0.0.1", ReasonCode.ProxyDenied), (failing.AgentName, failing.Service, failing.Host, failing.Reason));
        // Open pages are told too; the notice can follow the state it carries by a moment.
        await Eventually.UntilAsync(() => { lock (states) return Task.FromResult(states.Any(s => s.AllFinished && s.NewlyFailing.Count == 1)); },
            told => told, "open pages to be told the late agent finished", 60);
        await Eventually.UntilAsync(async () => { await using var check = app.CreateDbContext(); return await check.CheckRuns.SingleAsync(); },
            r => r.CompletedAt is not null, "the run's completion to be recorded", 60);
    }

    [Theory, BothProviders]
    public async Task SaveSettings_ProxyChanged_AnnotatesFieldNamesAndValuesButNeverThePassword(DatabaseProvider provider)
    {
        const string password = "Sup3r-S3cret!";
        using var app = new ArcBridgeAppFactory(new Dictionary<string, string?> { ["ArcBridge:BuiltInAgentEnabled"] = "false" }, provider: provider);
        app.CreateClient().Dispose();
        await app.InScopeAsync(sp => sp.GetRequiredService<DashboardSettingsStore>().SaveAsync(new DashboardSettings
        {
            ProxyUrl = "http://proxy-a.corp:3128", ProxyUser = "svc-arc", NewProxyPassword = password,
        }));
        await app.InScopeAsync(async sp =>
        {
            var store = sp.GetRequiredService<DashboardSettingsStore>();
            var saved = await store.GetAsync();
            return await store.SaveAsync(saved with { ProxyUrl = "http://proxy-b.corp:8080", NewProxyPassword = password + "2", DnsServers = ["10.0.0.53"] });
        });
        var before = await app.InScopeAsync(async sp => (await sp.GetRequiredService<AnnotationsQuery>().InWindowAsync(app.Time.GetUtcNow().AddMinutes(-1), app.Time.GetUtcNow())).Count);
        var unchanged = await app.InScopeAsync(async sp =>
        {
            var store = sp.GetRequiredService<DashboardSettingsStore>();
            return await store.SaveAsync(await store.GetAsync());
        });

        var notes = await app.InScopeAsync(sp => sp.GetRequiredService<AnnotationsQuery>().InWindowAsync(app.Time.GetUtcNow().AddMinutes(-1), app.Time.GetUtcNow()));

        Assert.Empty(unchanged);
        Assert.Equal(before, notes.Count); // saving without a change adds nothing
        Assert.Equal(2, notes.Count);
        Assert.All(notes, n => Assert.Equal(AnnotationKind.Settings, n.Kind));
        Assert.Contains("proxy URL changed from (none) to http://proxy-a.corp:3128", notes[0].Text);
        Assert.Contains("proxy password set", notes[0].Text);
        Assert.Contains("proxy URL changed from http://proxy-a.corp:3128 to http://proxy-b.corp:8080", notes[1].Text);
        Assert.Contains("proxy password replaced", notes[1].Text);
        Assert.Contains("DNS servers changed from (none) to 10.0.0.53", notes[1].Text);
        Assert.All(notes, n => Assert.DoesNotContain("S3cret", n.Text, StringComparison.OrdinalIgnoreCase));
        await using var db = app.CreateDbContext();
        Assert.DoesNotContain(await db.Annotations.Select(a => a.Text).ToListAsync(), t => t.Contains("S3cret", StringComparison.Ordinal));
    }
}
