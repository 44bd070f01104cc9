using System.Diagnostics;
using System.Text;
using ArcBridgeDashboard.Bench.Common;
using Microsoft.Playwright;

namespace ArcBridgeDashboard.Bench.Pages;

public sealed record RenderTiming(string Path, double ElementMedianMs, double InteractiveMedianMs, double InteractiveP95Ms, int Samples, int InteractiveSamples, string Note, double DomContentLoadedMedianMs, double LoadMedianMs);

/// <summary>
/// Interactive render in Debian's Chromium: from navigation start until (a) the known element is visible and (b) the
/// Blazor circuit delivered its first render batch over the WebSocket (the page is interactive from then on).
/// One browser context per page (warm HTTP cache, as for an operator who keeps the dashboard open) and a new tab
/// per sample, so every sample prerenders, downloads nothing cached and opens a new circuit.
/// </summary>
public static class InteractiveRender
{
    /// <summary>Median time for a new tab to show a static one-element data: page (set by the last measurement).</summary>
    public static double BrowserFloorMs { get; private set; } = double.NaN;

    private static readonly string[] LaunchArgs = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    public static async Task<IReadOnlyList<RenderTiming>> MeasureAsync(Uri baseAddress, IReadOnlyList<(string Path, string Selector)> pages, int warmup, int samples)
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = LaunchArgs,
        });
        var timings = new List<RenderTiming>();
        // Floor of this machine's browser: a new tab showing a one-element page with no server at all.
        await using (var floorContext = await browser.NewContextAsync())
        {
            var floor = new List<double>();
            for (var i = 0; i < samples; i++)
            {
                var page = await floorContext.NewPageAsync();
                var clock = Stopwatch.StartNew();
                await page.GotoAsync("data:text/html,<p id=floor>floor</p>");
                await page.Locator("#floor").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });
                floor.Add(clock.Elapsed.TotalMilliseconds);
                await page.CloseAsync();
            }
            BrowserFloorMs = Stats.Median(floor);
        }
        foreach (var (path, selector) in pages)
        {
            await using var context = await browser.NewContextAsync();
            await BenchSignIn.SignInAsync(context, baseAddress);
            for (var i = 0; i < warmup; i++) await OneAsync(context, new Uri(baseAddress, path), selector);
            var element = new List<double>();
            var domReady = new List<double>();
            var loaded = new List<double>();
            var interactive = new List<double>();
            string note = "";
            for (var i = 0; i < samples; i++)
            {
                var (elementMs, interactiveMs, error, navigation) = await OneAsync(context, new Uri(baseAddress, path), selector);
                if (navigation is { } n) { domReady.Add(n.DomContentLoaded); loaded.Add(n.Load); }
                if (elementMs is { } e) element.Add(e);
                if (interactiveMs is { } m) interactive.Add(m);
                if (error is not null) note = error;
            }
            timings.Add(new RenderTiming(path, Stats.Median(element), Stats.Median(interactive), Stats.Percentile(interactive, 95), samples, interactive.Count, note, Stats.Median(domReady), Stats.Median(loaded)));
        }
        return timings;
    }

    private static async Task<(double? ElementMs, double? InteractiveMs, string? Error, (double DomContentLoaded, double Load)? Navigation)> OneAsync(IBrowserContext context, Uri url, string selector)
    {
        var page = await context.NewPageAsync();
        await using var close = new PageCloser(page);
        var clock = new Stopwatch();
        var firstBatch = new TaskCompletionSource<double>(TaskCreationOptions.RunContinuationsAsynchronously);
        var frames = 0;
        page.WebSocket += (_, socket) => socket.FrameReceived += (_, frame) =>
        {
            Interlocked.Increment(ref frames);
            // BlazorPack (MessagePack) keeps method names as plain UTF-8, so the render batch is findable in the bytes.
            var text = frame.Text ?? (frame.Binary is { } b ? Encoding.Latin1.GetString(b) : "");
            if (text.Contains("JS.RenderBatch", StringComparison.Ordinal)) firstBatch.TrySetResult(clock.Elapsed.TotalMilliseconds);
        };
        clock.Start();
        try
        {
            await page.GotoAsync(url.ToString(), new PageGotoOptions { WaitUntil = WaitUntilState.Commit, Timeout = 20_000 });
            await page.Locator(selector).First.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible, Timeout = 10_000 });
            var elementMs = clock.Elapsed.TotalMilliseconds;
            var done = await Task.WhenAny(firstBatch.Task, Task.Delay(5_000));
            Console.WriteLine($"  render {url.AbsolutePath}: element {elementMs:0} ms, circuit {(done == firstBatch.Task ? $"{firstBatch.Task.Result:0} ms" : "none")} ({frames} frames)");
            // The browser's own Navigation Timing, to show where the time goes (no Playwright round trips in it).
            var navigation = await page.EvaluateAsync<double[]>("() => { const n = performance.getEntriesByType('navigation')[0]; return [n.domContentLoadedEventEnd, n.loadEventEnd]; }");
            var nav = (navigation[0], navigation[1]);
            return done == firstBatch.Task
                ? (elementMs, Math.Max(elementMs, firstBatch.Task.Result), null, nav)
                : (elementMs, null, "no circuit render batch within 5 s (page not interactive, or static rendering)", nav);
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException)
        {
            return (null, null, $"{e.GetType().Name}: {e.Message.Split('\n')[0]}", null);
        }
    }
}

internal sealed class PageCloser(IPage page) : IAsyncDisposable
{
    public async ValueTask DisposeAsync() => await page.CloseAsync();
}
