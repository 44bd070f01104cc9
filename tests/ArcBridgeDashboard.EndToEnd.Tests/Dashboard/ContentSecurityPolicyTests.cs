using ArcBridgeDashboard.EndToEnd.Tests.Support;
using ArcBridgeDashboard.Testing;
using ArcBridgeDashboard.Web.Tests.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ArcBridgeDashboard.EndToEnd.Tests.Dashboard;

/// <summary>
/// The dashboard's Content-Security-Policy (no inline script, no eval, frame-ancestors 'none') is one Blazor Server
/// and MudBlazor work under: every page goes live in Chromium without a single violation, and no page can be framed.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class ContentSecurityPolicyTests(DashboardFixture fixture, ITestOutputHelper output) : IClassFixture<DashboardFixture>
{
    private static readonly string[] Pages = ["", "allowlist", "sweeps", "agents", "settings", "reports", "changes"];

    [Fact]
    public async Task EveryPage_GoesLiveWithoutAViolation_AndCannotBeFramed()
    {
        var (root, leaf) = LoopbackTlsServer.CreatePki();
        using var server = new LoopbackTlsServer(leaf);
        await using var app = await fixture.StartDashboardAsync(root.ExportCertificatePem(), 10, TestDatabase.Loopback("Loopback service", server.Port));

        await fixture.InPageAsync(app, output, "csp", async page =>
        {
            // Recorded by the browser itself, before any of the page's own scripts run.
            await page.AddInitScriptAsync(
                "window.__cspViolations = []; document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(`${location.pathname}: ${e.violatedDirective} ${e.blockedURI}`));");
            var violations = new List<string>();
            foreach (var path in Pages)
            {
                await page.GotoAsync(new Uri(app.BaseAddress, path).ToString());
                // Live: the theme toggle is wired to the circuit (the WebSocket got through connect-src).
                await BlazorPage.ClickWhenWiredAsync(page, "theme-toggle");
                await Expect(page.Locator("#components-reconnect-modal[open], .components-reconnect-show")).ToHaveCountAsync(0);
                violations.AddRange(await page.EvaluateAsync<string[]>("() => window.__cspViolations"));
            }
            Assert.Empty(violations);

            // Another page framing the dashboard gets nothing: Chromium refuses the frame. SetContent returns after
            // the load event, which waits for the frame (refused or not).
            await page.SetContentAsync($"<iframe id=victim src=\"{new Uri(app.BaseAddress, "settings")}\"></iframe>");
            var frame = await (await page.QuerySelectorAsync("#victim"))!.ContentFrameAsync();
            Assert.NotNull(frame);
            Assert.Null(await frame.QuerySelectorAsync("[data-testid=theme-toggle]"));
        });
    }
}
