using ArcBridgeDashboard.EndToEnd.Tests.Support;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Testing;
using ArcBridgeDashboard.Web.Data;
using ArcBridgeDashboard.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ArcBridgeDashboard.EndToEnd.Tests.Dashboard;

/// <summary>
/// Every text on every page reaches WCAG AA in both themes, with the states that colour things on screen: the amber
/// banner before any result, the green one when everything passes, the red one and the change summary after a
/// service stops, Pass and Fail chips, TLS evidence, agents that are online, stale, offline and revoked, a new
/// enrolment token and the saved roots; What changed with an operator's annotation and confirmed changes; the reports
/// list, a report and the comparison of two; every tab of Notifications with rules, channels, maintenance windows
/// (active, planned, past) and deliveries of each outcome. Screenshots of each page, light and dark, at 1280 and 390 px
/// are saved.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class ContrastTests(DashboardFixture fixture, ITestOutputHelper output) : IClassFixture<DashboardFixture>
{
    private const string Steady = "Steady service";
    private const string GoesDown = "Goes down";
    private const string Inspected = "Inspected service";

    [Fact]
    public async Task EveryPage_LightAndDark_EveryVisibleTextReachesWcagAA()
    {
        var (root, leaf) = LoopbackTlsServer.CreatePki();
        var (_, foreignLeaf) = LoopbackTlsServer.CreatePki();
        using var steady = new LoopbackTlsServer(leaf);
        using var goesDown = new LoopbackTlsServer(leaf);
        // Signed by a root the dashboard neither expects nor trusts: a TLS failure with the whole chain as evidence.
        using var inspected = new LoopbackTlsServer(foreignLeaf);
        await using var app = await fixture.StartDashboardAsync(root.ExportCertificatePem(), 10,
            TestDatabase.Loopback(Steady, steady.Port), TestDatabase.Loopback(GoesDown, goesDown.Port), TestDatabase.Loopback(Inspected, inspected.Port));
        // Optional, so its failure leaves the banner green while both required services pass.
        await using (var db = TestDatabase.Open(app.DatabasePath))
            await db.Targets.Where(t => t.EndpointId == app.EndpointId(Inspected)).ExecuteUpdateAsync(s => s.SetProperty(t => t.Required, false));

        var offenders = new List<string>();
        await fixture.InPageAsync(app, output, "contrast", async page =>
        {
            var banner = page.GetByTestId("readiness-banner");
            await CheckAsync(page, app, "", "overview-no-results", OverviewReadyAsync, offenders);
            await Expect(banner).ToHaveAttributeAsync("data-severity", "Warning");

            await page.GotoAsync(new Uri(app.BaseAddress, "changes").ToString());
            await BlazorPage.FillWhenWiredAsync(page, "annotation-text", "proxy change CHG-1234");
            await BlazorPage.ClickWhenWiredAsync(page, "annotation-save");
            await Expect(page.GetByTestId("change-annotation").Filter(new() { HasText = "proxy change CHG-1234" })).ToHaveCountAsync(1);
            await BlazorPage.OpenOverviewAsync(page, app.BaseAddress);

            await CheckNowAsync(page);
            await CheckAsync(page, app, "", "overview-all-pass", OverviewReadyAsync, offenders);
            await Expect(banner).ToHaveAttributeAsync("data-severity", "Success");
            await BlazorPage.GenerateReportAsync(page, app.BaseAddress);
            await BlazorPage.OpenOverviewAsync(page, app.BaseAddress);

            goesDown.Dispose();
            await CheckNowAsync(page);
            await Expect(page.GetByTestId("newly-failing-item")).ToHaveCountAsync(1);
            // The change summary lives in the circuit: measured on this page, before any reload.
            await MeasureAsync(page, "overview-change-summary", offenders);
            await CheckAsync(page, app, "", "overview-failing", OverviewReadyAsync, offenders);
            await Expect(banner).ToHaveAttributeAsync("data-severity", "Error");
            var report = await BlazorPage.GenerateReportAsync(page, app.BaseAddress);

            await CheckAsync(page, app, "changes", "changes", async p =>
            {
                await Expect(p.GetByTestId("change-line-change").First).ToBeVisibleAsync();
                await Expect(p.GetByTestId("change-annotation").Filter(new() { HasText = "proxy change CHG-1234" })).ToHaveCountAsync(1);
            }, offenders);
            await CheckAsync(page, app, "reports", "reports", p => Expect(p.GetByTestId("compare-form")).ToBeVisibleAsync(), offenders);
            await CheckAsync(page, app, $"reports/{report}", "report", p => Expect(p.GetByTestId("report-verdict")).ToHaveTextAsync("Not ready"), offenders);
            await CheckAsync(page, app, $"reports/compare?a={report - 1}&b={report}", "report-compare",
                p => Expect(p.GetByTestId("newly-failing").Locator("tbody tr")).ToHaveCountAsync(1), offenders);

            // Seeded after the last Check now: no confirmed change follows that a rule could send anywhere.
            await SeedNotificationsAsync(app);
            await CheckAsync(page, app, "notifications?tab=rules", "notifications-rules", p => Expect(p.GetByTestId("rule-table")).ToBeVisibleAsync(), offenders);
            await CheckAsync(page, app, "notifications?tab=channels", "notifications-channels", p => Expect(p.GetByTestId("channel-table")).ToBeVisibleAsync(), offenders);
            await CheckAsync(page, app, "notifications?tab=maintenance", "notifications-maintenance", async p =>
            {
                await Expect(p.GetByTestId("maintenance-table").Locator("tbody tr")).ToHaveCountAsync(3);
                await Expect(p.GetByTestId("maintenance-form")).ToBeVisibleAsync();
            }, offenders);
            await CheckAsync(page, app, "notifications?tab=history", "notifications-history", p => Expect(p.GetByTestId("history-table").Locator("tbody tr")).ToHaveCountAsync(3), offenders);

            long sweepId;
            await using (var db = TestDatabase.Open(app.DatabasePath))
                sweepId = await db.Sweeps.MaxAsync(s => s.Id);
            await CheckAsync(page, app, "sweeps", "sweeps", p => Expect(p.Locator("[data-testid=sweep-table] a").First).ToBeVisibleAsync(), offenders);
            await CheckAsync(page, app, $"sweeps/{sweepId}", "sweep-detail", p => Expect(p.GetByTestId("sweep-results").Locator(".status-chip").First).ToBeVisibleAsync(), offenders);
            await CheckAsync(page, app, $"endpoints/{app.EndpointId(Inspected)}", "endpoint-inspected", p => Expect(p.GetByTestId("evidence-tls-chain")).ToBeVisibleAsync(), offenders);
            await CheckAsync(page, app, "allowlist", "allowlist", p => Expect(p.GetByTestId("catalog-table")).ToBeVisibleAsync(), offenders);
            await CheckAsync(page, app, "settings", "settings", p => Expect(p.GetByTestId("settings-form")).ToBeVisibleAsync(), offenders);
            await CheckAsync(page, app, "users", "users", p => Expect(p.GetByTestId("user-new-role-help")).ToContainTextAsync("Viewer"), offenders);
            await CheckAsync(page, app, "api-keys", "api-keys", p => Expect(p.GetByTestId("api-key-role-help")).ToContainTextAsync("Viewer"), offenders);
            await CheckAsync(page, app, "audit", "audit", p => Expect(p.GetByTestId("audit-table")).ToBeVisibleAsync(), offenders);

            await SeedAgentsAsync(app);
            await CheckAsync(page, app, "agents", "agents", async p =>
            {
                await Expect(p.GetByTestId("agents-title")).ToHaveAttributeAsync("data-interactive", "true");
                await Expect(p.GetByTestId("agent-status-vm-stale")).ToBeVisibleAsync();
                await BlazorPage.ClickWhenWiredAsync(p, "create-token");
                await Expect(p.GetByTestId("created-token")).ToBeVisibleAsync();
            }, offenders);
        });

        Assert.True(offenders.Count == 0, $"{offenders.Count} texts below WCAG AA contrast, tables cut off or broken layouts:\n" + string.Join('\n', offenders));
    }

    private static async Task OverviewReadyAsync(IPage page)
    {
        // Enabled once the circuit rendered it (never while a sweep runs: each check waits for its summary).
        await Expect(page.GetByTestId("check-now")).ToBeEnabledAsync();
        await Expect(page.GetByTestId("readiness-banner")).ToBeVisibleAsync();
    }

    private static async Task CheckNowAsync(IPage page)
    {
        await BlazorPage.ClickWhenWiredAsync(page, "check-now");
        await Expect(page.GetByTestId("change-summary")).ToBeVisibleAsync(new() { Timeout = 60_000 });
    }

    /// <summary>The page in the light and the dark theme, each at 1280 and 390 px: measured, and a screenshot saved.</summary>
    private async Task CheckAsync(IPage page, RunningDashboard app, string path, string name, Func<IPage, Task> ready, List<string> offenders)
    {
        foreach (var theme in new[] { "light", "dark" })
        {
            await page.SetViewportSizeAsync(1280, 900);
            await page.GotoAsync(new Uri(app.BaseAddress, $"{path}{(path.Contains('?', StringComparison.Ordinal) ? '&' : '?')}theme={theme}").ToString());
            await ready(page);
            foreach (var width in new[] { 1280, 390 })
            {
                await page.SetViewportSizeAsync(width, width == 390 ? 844 : 900);
                await MeasureAsync(page, $"{name}-{theme}-{width}", offenders);
                offenders.AddRange((await LayoutProblemsAsync(page)).Select(p => $"{name}-{theme}-{width}: {p}"));
                if (width == 1280)
                    offenders.AddRange((await ClippedTablesAsync(page)).Select(t => $"{name}-{theme}-{width}: {t}"));
                else if (await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth") is > 0 and var wider)
                    offenders.Add($"{name}-{theme}-{width}: the page is {wider} px wider than the phone and scrolls sideways");
                await BlazorPage.ScreenshotAsync(page, $"contrast-{name}-{theme}-{width}", output);
            }
        }
        await page.SetViewportSizeAsync(1280, 900);
    }

    private static async Task MeasureAsync(IPage page, string name, List<string> offenders)
    {
        await BlazorPage.SettleAsync(page);
        offenders.AddRange((await TextContrast.MeasureAsync(page)).Select(o => $"{name}: {o}"));
    }

    /// <summary>
    /// At 1280 px every table fits its card: one wider than its container has columns cut off at the card's edge
    /// (MudTable clips), which is how a long result message and the agents' clock column went missing. A phone may
    /// scroll a wide table sideways; a desktop should not need to.
    /// </summary>
    private static async Task<IReadOnlyList<string>> ClippedTablesAsync(IPage page) => await page.EvaluateAsync<string[]>("""
        () => [...document.querySelectorAll('.mud-table-container')]
            .filter(c => c.checkVisibility() && c.scrollWidth > c.clientWidth + 1)
            .map(c => `table ${c.closest('[data-testid]')?.dataset.testid ?? c.parentElement.className} is ${c.scrollWidth - c.clientWidth} px wider than its card`)
        """);

    /// <summary>
    /// Notification rules and channels as an admin sets them up, maintenance windows active, planned and past, and a
    /// delivery of each finished outcome with its error. An e-mail channel: with no SMTP server nothing could go out.
    /// </summary>
    private static async Task SeedNotificationsAsync(RunningDashboard app)
    {
        var now = DateTimeOffset.UtcNow;
        await using var db = TestDatabase.Open(app.DatabasePath);
        var channel = new NotificationChannel { Name = "on-call mail", Kind = NotificationChannelKind.Email, Recipients = "oncall@corp.example, noc@corp.example", CreatedAt = now };
        db.NotificationChannels.Add(channel);
        db.NotificationRules.AddRange(
            new NotificationRule { Name = "required endpoints", OnFailure = true, OnRecovery = true, CreatedAt = now, Channels = [channel] },
            new NotificationRule { Name = "appliance readiness", OnReadinessChange = true, Role = Sources.ApplianceVm, Enabled = false, CreatedAt = now, Channels = [channel] });
        db.MaintenanceWindows.AddRange(
            new MaintenanceWindow { StartsAt = now.AddMinutes(-30), EndsAt = now.AddHours(1), Reason = "proxy upgrade CHG-1234", CreatedAt = now },
            new MaintenanceWindow { StartsAt = now.AddDays(1), EndsAt = now.AddDays(1).AddHours(2), Service = GoesDown, Role = Sources.ManagementMachine, Reason = "firewall change", CreatedAt = now },
            new MaintenanceWindow { StartsAt = now.AddDays(-2), EndsAt = now.AddDays(-2).AddHours(1), Reason = "past window", CreatedAt = now });
        foreach (var (status, error) in new[]
        {
            (DeliveryStatus.Delivered, (string?)null),
            (DeliveryStatus.Failed, "No answer within 15 s from smtp.corp.example"),
            (DeliveryStatus.Silenced, "silenced by maintenance window 1 “proxy upgrade CHG-1234”"),
        })
        {
            db.NotificationDeliveries.Add(new NotificationDelivery
            {
                CreatedAt = now.AddMinutes(-5), RuleName = "required endpoints", ChannelName = channel.Name, ChannelKind = channel.Kind,
                Recipient = channel.Recipients!, Title = $"{GoesDown} fails on 127.0.0.1", MessageJson = "{}", Status = status,
                Attempts = status == DeliveryStatus.Silenced ? 0 : 3, CompletedAt = now.AddMinutes(-4), Error = error,
            });
        }
        await db.SaveChangesAsync();
    }

    /// <summary>
    /// What looked broken in screenshots: a one-line text field stretched hundreds of pixels tall (a flex-basis on
    /// MudTextField's inner column), and tabs past the edge of their bar on a phone (the open one out of sight).
    /// </summary>
    private static async Task<IReadOnlyList<string>> LayoutProblemsAsync(IPage page) => await page.EvaluateAsync<string[]>("""
        () => {
            const problems = [];
            for (const input of document.querySelectorAll('.mud-input-control input:not([type=hidden])')) {
                const box = input.closest('.mud-input')?.getBoundingClientRect();
                if (box && input.checkVisibility() && box.height > 80)
                    problems.push(`text field ${input.closest('[data-testid]')?.dataset.testid ?? input.id} is ${Math.round(box.height)} px tall`);
            }
            for (const tab of document.querySelectorAll('.mud-tab')) {
                const bar = (tab.closest('.mud-tabs-tabbar-content') ?? tab.parentElement).getBoundingClientRect();
                const box = tab.getBoundingClientRect();
                if (tab.checkVisibility() && (box.right > bar.right + 1 || box.left < bar.left - 1))
                    problems.push(`tab "${tab.innerText.trim()}" is past the edge of its bar`);
            }
            return problems;
        }
        """);

    /// <summary>Remote agents in every state the Agents page colours: stale, offline and revoked.</summary>
    private static async Task SeedAgentsAsync(RunningDashboard app)
    {
        var now = DateTimeOffset.UtcNow;
        await using var db = TestDatabase.Open(app.DatabasePath);
        db.Agents.AddRange(
            new Agent { Name = "vm-stale", Role = Sources.ApplianceVm, Version = "1.0.0", Os = "Debian GNU/Linux 12 (bookworm)", Address = "127.0.0.2", CreatedAt = now.AddDays(-1), LastSeenAt = now.AddMinutes(-5), ClockOffsetMs = 45_000, ServerClockOffsetMs = -400_000, OutboxDepth = 3 },
            new Agent { Name = "mgmt-offline", Role = Sources.ManagementMachine, Version = "1.0.0", Os = "Windows Server 2022", Address = "127.0.0.3", CreatedAt = now.AddDays(-2), LastSeenAt = now.AddHours(-3) },
            new Agent { Name = "old-vm", Role = Sources.ApplianceVm, CreatedAt = now.AddDays(-9), LastSeenAt = now.AddDays(-8), RevokedAt = now.AddDays(-7) });
        await db.SaveChangesAsync();
    }
}
