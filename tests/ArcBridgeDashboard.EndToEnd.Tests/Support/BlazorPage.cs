using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace ArcBridgeDashboard.EndToEnd.Tests.Support;

/// <summary>Page helpers: click only once Blazor wired the element; clean screenshots saved as artifacts.</summary>
public static class BlazorPage
{
    /// <summary>Navigates to the overview and waits until Check now is wired to the circuit (see <see cref="ClickWhenWiredAsync"/>).</summary>
    public static async Task OpenOverviewAsync(IPage page, Uri url)
    {
        await page.GotoAsync(url.ToString());
        await WaitUntilWiredAsync(page, "check-now");
    }

    /// <summary>
    /// Clicks an element of an interactive component once Blazor has attached its event handler. Before that the
    /// page is only prerendered HTML (or the first render batch is not applied yet) and the click is silently lost:
    /// seen on this loaded machine even after the circuit's first render batch had arrived.
    /// </summary>
    public static async Task ClickWhenWiredAsync(IPage page, string testId)
    {
        await WaitUntilWiredAsync(page, testId);
        await page.GetByTestId(testId).ClickAsync();
    }

    /// <summary>Reports → Generate report, as an operator does: waits for the new report's page; its id.</summary>
    public static async Task<long> GenerateReportAsync(IPage page, Uri baseAddress)
    {
        await page.GotoAsync(new Uri(baseAddress, "reports").ToString());
        await ClickWhenWiredAsync(page, "generate-report");
        // The address, with Expect: WaitForURLAsync also waits for a load event, which a Blazor navigation may never
        // fire (a CI run timed out after the report was generated, as the sign-in once did).
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"/reports/\d+$"), new() { Timeout = 60_000 });
        return long.Parse(new Uri(page.Url).Segments[^1], CultureInfo.InvariantCulture);
    }

    /// <summary>Fills a text field once Blazor listens to it; text typed into the prerendered field is lost.</summary>
    public static async Task FillWhenWiredAsync(IPage page, string testId, string text)
    {
        await WaitUntilWiredAsync(page, testId);
        var field = page.GetByTestId(testId);
        await field.FillAsync(text);
        await field.BlurAsync();
    }

    private static async Task WaitUntilWiredAsync(IPage page, string testId)
    {
        // blazor.web.js keeps an element's handlers in an own property "_blazorEvents_<n>" (EventDelegator).
        // Queried by selector on every poll: the interactive render replaces the prerendered element.
        await page.WaitForFunctionAsync(
            "id => { const e = document.querySelector(`[data-testid=\"${id}\"]`); return !!e && Object.keys(e).some(k => k.startsWith('_blazorEvents_')); }",
            testId, new() { Timeout = 30_000 });
    }

    /// <summary>
    /// For clean screenshots: nothing focused or hovered, and every finite CSS transition finished (the button's fade
    /// back from disabled grey, the ripple after a click); Playwright's "animations disabled" misses these.
    /// </summary>
    public static async Task SettleAsync(IPage page)
    {
        await page.EvaluateAsync("() => document.activeElement?.blur()");
        await page.Mouse.MoveAsync(0, page.ViewportSize?.Height - 1 ?? 0);
        await page.WaitForFunctionAsync(
            "() => document.getAnimations().every(a => a.playState !== 'running' || !isFinite(a.effect?.getComputedTiming().endTime))",
            null, new() { Timeout = 10_000 });
    }

    /// <summary>Saves a full-page PNG under artifacts/screenshots and prints its path.</summary>
    public static async Task<string> ScreenshotAsync(IPage page, string name, ITestOutputHelper output, bool fullPage = true)
    {
        var path = Path.Combine(DashboardFixture.ScreenshotDirectory, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = fullPage, Animations = ScreenshotAnimations.Disabled });
        output.WriteLine($"screenshot: {path}");
        Console.WriteLine($"screenshot: {path}");
        return path;
    }
}
