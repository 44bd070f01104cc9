using ArcBridgeDashboard.EndToEnd.Tests.Support;
using ArcBridgeDashboard.Testing;
using ArcBridgeDashboard.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ArcBridgeDashboard.EndToEnd.Tests.Dashboard;

/// <summary>
/// The on-call workflow after a network change, in Chromium against the real dashboard process: press Check now,
/// watch rows change while results arrive, read what changed.
/// </summary>
[Collection(TimedCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class OnCallWorkflowTests(DashboardFixture fixture, ITestOutputHelper output)
{
    private const string Steady = "Steady service";
    private const string GoesDown = "Goes down";
    private const string Slow = "Slow answer";
    private const string AlsoSlow = "Another slow answer";

    [Fact]
    public async Task CheckNow_ListenerStoppedAfterPassingSweep_RowTurnsFailLiveAndSummaryNamesIt()
    {
        var (root, leaf) = LoopbackTlsServer.CreatePki();
        using var steady = new LoopbackTlsServer(leaf);
        using var goesDown = new LoopbackTlsServer(leaf);
        using var slow = new LoopbackTlsServer(leaf);
        using var alsoSlow = new LoopbackTlsServer(leaf);
        await using var app = await fixture.StartDashboardAsync(root.ExportCertificatePem(), 25,
            TestDatabase.Loopback(Steady, steady.Port), TestDatabase.Loopback(GoesDown, goesDown.Port), TestDatabase.Loopback(Slow, slow.Port),
            TestDatabase.Loopback(AlsoSlow, alsoSlow.Port));

        await fixture.InPageAsync(app, output, "on-call", async page =>
        {
            await BlazorPage.OpenOverviewAsync(page, app.BaseAddress);
            var banner = page.GetByTestId("readiness-banner");
            await Expect(banner).ToBeVisibleAsync();
            await Expect(page.GetByTestId("readiness-text")).ToContainTextAsync("0 of 4 required endpoint × source checks pass");
            await Expect(page.GetByTestId("readiness-last-sweep")).ToContainTextAsync("No sweep has run yet");

            // First sweep: everything listens, so there is a passing previous state to compare with.
            var checkNow = page.GetByTestId("check-now");
            await BlazorPage.ClickWhenWiredAsync(page, "check-now");
            await Expect(page.GetByTestId("change-summary")).ToBeVisibleAsync();
            foreach (var service in new[] { Steady, GoesDown, Slow, AlsoSlow })
                await Expect(Cell(page, app, service)).ToHaveAttributeAsync("data-status", "Pass");
            await Expect(page.GetByTestId("readiness-text")).ToContainTextAsync("4 of 4 required endpoint × source checks pass");
            await Expect(page.GetByTestId("readiness-last-sweep")).ToContainTextAsync("Last sweep");
            await Expect(banner).ToHaveAttributeAsync("data-severity", "Success");
            await Expect(checkNow).ToBeEnabledAsync();
            await BlazorPage.SettleAsync(page);
            await BlazorPage.ScreenshotAsync(page, "overview-light-all-pass", output);

            // The network changes: one service stops listening, two answer only when the test lets them.
            await page.EvaluateAsync("() => { window.__arcbridgeE2eSamePage = true; }");
            goesDown.Dispose();
            slow.HoldAnswers();
            alsoSlow.HoldAnswers();
            await BlazorPage.ClickWhenWiredAsync(page, "check-now");
            // A sweep passes each result on only once the next one is in (so that the last can be marked as such), and
            // Steady and Goes down finish in either order. One of them stored means both are in; the other is passed on
            // with the next result, which AlsoSlow now gives while Slow still holds the sweep open.
            await Agents.Eventually.WaitAsync(async () => await ResultsOfLatestSweepAsync(app) >= 1, TimeSpan.FromSeconds(30),
                "a result of the second sweep stored");
            alsoSlow.ReleaseAnswers();

            // The stopped listener's row turns Fail while the sweep still runs (the held answer keeps it running).
            await Expect(Cell(page, app, GoesDown)).ToHaveAttributeAsync("data-status", "Fail");
            await Expect(checkNow).ToHaveAttributeAsync("aria-busy", "true", new() { Timeout = 1_000 });
            await Expect(checkNow).ToBeDisabledAsync(new() { Timeout = 1_000 });
            await Expect(page.GetByTestId("check-progress")).ToBeVisibleAsync(new() { Timeout = 1_000 });
            await Expect(page.GetByTestId("change-summary")).ToBeHiddenAsync(new() { Timeout = 1_000 });
            await BlazorPage.ScreenshotAsync(page, "overview-light-sweep-running", output);
            slow.ReleaseAnswers();

            var summary = page.GetByTestId("change-summary");
            await Expect(summary).ToBeVisibleAsync();
            await Expect(summary.GetByTestId("newly-failing-item")).ToHaveCountAsync(1);
            await Expect(summary.GetByTestId("newly-failing-item")).ToContainTextAsync(app.TargetKey(GoesDown));
            await Expect(summary.GetByTestId("newly-failing-item")).ToContainTextAsync("TcpRefused");
            await Expect(summary.GetByTestId("recovered-item")).ToHaveCountAsync(0);
            await Expect(summary.GetByTestId("still-failing-item")).ToHaveCountAsync(0);
            await Expect(Cell(page, app, Steady)).ToHaveAttributeAsync("data-status", "Pass");
            await Expect(Cell(page, app, Slow)).ToHaveAttributeAsync("data-status", "Pass");
            await Expect(Cell(page, app, AlsoSlow)).ToHaveAttributeAsync("data-status", "Pass");
            await Expect(page.GetByTestId("readiness-text")).ToContainTextAsync("3 of 4 required endpoint × source checks pass");
            await Expect(banner).ToHaveAttributeAsync("data-severity", "Error");
            await Expect(checkNow).ToBeEnabledAsync();
            // Live, not reloaded: the marker set on the page before the second press is still there.
            Assert.True(await page.EvaluateAsync<bool>("() => window.__arcbridgeE2eSamePage === true"), "the overview reloaded during Check now");
            await BlazorPage.SettleAsync(page);
            await BlazorPage.ScreenshotAsync(page, "overview-light-newly-failing", output);
        });
    }

    private static async Task<int> ResultsOfLatestSweepAsync(RunningDashboard app)
    {
        await using var db = TestDatabase.Open(app.DatabasePath);
        var sweeps = await db.Sweeps.OrderBy(s => s.Id).Select(s => s.Id).ToListAsync();
        if (sweeps.Count < 2)
            return 0;
        var latest = sweeps[^1];
        return await db.Results.CountAsync(r => r.SweepId == latest);
    }

    private static ILocator Cell(IPage page, RunningDashboard app, string service) =>
        page.GetByTestId($"cell-{app.TargetKey(service)}-ManagementMachine");
}
