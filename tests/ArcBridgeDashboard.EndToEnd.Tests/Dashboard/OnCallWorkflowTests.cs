using ArcBridgeDashboard.EndToEnd.Tests.Support;
using ArcBridgeDashboard.Testing;
using ArcBridgeDashboard.Web.Tests.Support;
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

    [Fact]
    public async Task CheckNow_ListenerStoppedAfterPassingSweep_RowTurnsFailLiveAndSummaryNamesIt()
    {
        var (root, leaf) = LoopbackTlsServer.CreatePki();
        using var steady = new LoopbackTlsServer(leaf);
        using var goesDown = new LoopbackTlsServer(leaf);
        using var slow = new LoopbackTlsServer(leaf);
        await using var app = await fixture.StartDashboardAsync(root.ExportCertificatePem(), 25,
            TestDatabase.Loopback(Steady, steady.Port), TestDatabase.Loopback(GoesDown, goesDown.Port), TestDatabase.Loopback(Slow, slow.Port));

        await fixture.InPageAsync(app, output, "on-call", async page =>
        {
            await BlazorPage.OpenOverviewAsync(page, app.BaseAddress);
            var banner = page.GetByTestId("readiness-banner");
            await Expect(banner).ToBeVisibleAsync();
            await Expect(page.GetByTestId("readiness-text")).ToContainTextAsync("0 of 3 required endpoint × source checks pass");
            await Expect(page.GetByTestId("readiness-last-sweep")).ToContainTextAsync("No sweep has run yet");

            // First sweep: everything listens, so there is a passing previous state to compare with.
            var checkNow = page.GetByTestId("check-now");
            await BlazorPage.ClickWhenWiredAsync(page, "check-now");
            await Expect(page.GetByTestId("change-summary")).ToBeVisibleAsync();
            foreach (var service in new[] { Steady, GoesDown, Slow })
                await Expect(Cell(page, app, service)).ToHaveAttributeAsync("data-status", "Pass");
            await Expect(page.GetByTestId("readiness-text")).ToContainTextAsync("3 of 3 required endpoint × source checks pass");
            await Expect(page.GetByTestId("readiness-last-sweep")).ToContainTextAsync("Last sweep");
            await Expect(banner).ToHaveAttributeAsync("data-severity", "Success");
            await Expect(checkNow).ToBeEnabledAsync();
            await BlazorPage.SettleAsync(page);
            await BlazorPage.ScreenshotAsync(page, "overview-light-all-pass", output);

            // The network changes: one service stops listening, another answers only when the test lets it.
            await page.EvaluateAsync("() => { window.__arcbridgeE2eSamePage = true; }");
            goesDown.Dispose();
            slow.HoldAnswers();
            steady.HoldAnswers();
            await BlazorPage.ClickWhenWiredAsync(page, "check-now");
            // A sweep passes each result on once the next one is in (so that the last can be marked as such): Steady
            // answers only once its request is in, well after the stopped listener refused, so the refusal is passed
            // on while Slow still holds the sweep open. (Left alone, Steady could finish first and the refusal would
            // then wait for Slow.)
            await steady.RequestHeld.WaitAsync(TimeSpan.FromSeconds(30));
            steady.ReleaseAnswers();

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
            await Expect(page.GetByTestId("readiness-text")).ToContainTextAsync("2 of 3 required endpoint × source checks pass");
            await Expect(banner).ToHaveAttributeAsync("data-severity", "Error");
            await Expect(checkNow).ToBeEnabledAsync();
            // Live, not reloaded: the marker set on the page before the second press is still there.
            Assert.True(await page.EvaluateAsync<bool>("() => window.__arcbridgeE2eSamePage === true"), "the overview reloaded during Check now");
            await BlazorPage.SettleAsync(page);
            await BlazorPage.ScreenshotAsync(page, "overview-light-newly-failing", output);
        });
    }

    private static ILocator Cell(IPage page, RunningDashboard app, string service) =>
        page.GetByTestId($"cell-{app.TargetKey(service)}-ManagementMachine");
}
