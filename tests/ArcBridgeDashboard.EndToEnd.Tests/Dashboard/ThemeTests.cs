using ArcBridgeDashboard.EndToEnd.Tests.Support;
using ArcBridgeDashboard.Testing;
using ArcBridgeDashboard.Web.Tests.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ArcBridgeDashboard.EndToEnd.Tests.Dashboard;

/// <summary>The dark theme, switched with the app bar toggle, at desktop and phone widths.</summary>
[Trait("Category", "EndToEnd")]
public sealed class ThemeTests(DashboardFixture fixture, ITestOutputHelper output) : IClassFixture<DashboardFixture>
{
    // Relative luminance (0 black .. 1 white) of an element's computed background colour.
    private const string LuminanceOf = """
        el => {
            const [r, g, b] = getComputedStyle(el).backgroundColor.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number)
                .map(c => { c /= 255; return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); });
            return 0.2126 * r + 0.7152 * g + 0.0722 * b;
        }
        """;

    [Fact]
    public async Task ThemeToggle_LightOverview_SwitchesToDarkPaletteAndRemembersIt()
    {
        var (root, leaf) = LoopbackTlsServer.CreatePki();
        using var reachable = new LoopbackTlsServer(leaf);
        await using var app = await fixture.StartDashboardAsync(root.ExportCertificatePem(), 10,
            TestDatabase.Loopback("Reachable service", reachable.Port), TestDatabase.Loopback("Refused service", LoopbackTlsServer.ClosedPort()));

        await fixture.InPageAsync(app, output, "theme", async page =>
        {
            await BlazorPage.OpenOverviewAsync(page, app.BaseAddress);
            await BlazorPage.ClickWhenWiredAsync(page, "check-now");
            await Expect(page.GetByTestId("change-summary")).ToBeVisibleAsync();
            var body = page.Locator("body");
            var appBar = page.Locator("header.mud-appbar");
            Assert.True(await body.EvaluateAsync<double>(LuminanceOf) > 0.8, "the overview should start light in a light-scheme browser");

            var toggle = page.GetByTestId("theme-toggle");
            await Expect(toggle).ToHaveAttributeAsync("aria-label", "toggle theme");
            await BlazorPage.ClickWhenWiredAsync(page, "theme-toggle");

            await page.WaitForFunctionAsync($"() => ({LuminanceOf})(document.body) < 0.1", null, new() { Timeout = 30_000 });
            Assert.True(await appBar.EvaluateAsync<double>(LuminanceOf) < 0.1, "the app bar should use the dark palette");
            Assert.Equal("dark", await page.EvaluateAsync<string?>("() => localStorage.getItem('arcbridge-theme')"));
            await BlazorPage.SettleAsync(page);
            await BlazorPage.ScreenshotAsync(page, "overview-dark-1280", output);

            await page.SetViewportSizeAsync(390, 844);
            await Expect(page.GetByTestId("readiness-banner")).ToBeVisibleAsync();
            // Usable on a phone: once the drawer has slid away (the circuit hears of the new breakpoint first), the
            // overview fits the width with no sideways scrolling. Times out (fails) if it never fits.
            await page.WaitForFunctionAsync("() => document.documentElement.scrollWidth <= window.innerWidth", null, new() { Timeout = 30_000 });
            await BlazorPage.SettleAsync(page);
            await BlazorPage.ScreenshotAsync(page, "overview-dark-390x844", output);

            // Remembered in this browser: a new load of the page comes back dark.
            await BlazorPage.OpenOverviewAsync(page, app.BaseAddress);
            await page.WaitForFunctionAsync($"() => ({LuminanceOf})(document.body) < 0.1", null, new() { Timeout = 30_000 });
        }, 1280, 900);
    }
}
