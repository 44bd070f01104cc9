using System.Diagnostics;
using System.Text;
using ArcBridgeDashboard.Bench.Common;
using Microsoft.Playwright;

namespace ArcBridgeDashboard.Bench.Pages;

public sealed record RenderTiming(string Path, double ElementMedianMs, double InteractiveMedianMs, double InteractiveP95Ms, int Samples, int InteractiveSamples, string Note);

/// <summary>
/// Interactive render in Debian's Chromium: from navigation start until (a) the known element is visible and (b) the
/// Blazor circuit delivered its first render batch over the WebSocket (the page is interactive from then on).
/// A fresh browser context per sample, so every sample opens a new circuit.
/// </summary>
public static class InteractiveRender
{
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
        foreach (var (path, selector) in pages)
        {
            for (var i = 0; i < warmup; i++) await OneAsync(browser, new Uri(baseAddress, path), selector);
            var element = new List<double>();
            var interactive = new List<double>();
            string note = "";
            for (var i = 0; i < samples; i++)
            {
                var (elementMs, interactiveMs, error) = await OneAsync(browser, new Uri(baseAddress, path), selector);
                if (elementMs is { } e) element.Add(e);
                if (interactiveMs is { } m) interactive.Add(m);
                if (error is not null) note = error;
            }
            timings.Add(new RenderTiming(path, Stats.Median(element), Stats.Median(interactive), Stats.Percentile(interactive, 95), samples, interactive.Count, note));
        }
        return timings;
    }

    private static async Task<(double? ElementMs, double? InteractiveMs, string? Error)> OneAsync(IBrowser browser, Uri url, string selector)
    {
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var clock = new Stopwatch();
        var firstBatch = new TaskCompletionSource<double>(TaskCreationOptions.RunContinuationsAsynchronously);
        page.WebSocket += (_, socket) => socket.FrameReceived += (_, frame) =>
        {
            // BlazorPack (MessagePack) keeps method names as plain UTF-8, so the render batch is findable in the bytes.
            var text = frame.Text ?? (frame.Binary is { } b ? Encoding.Latin1.GetString(b) : "");
            if (text.Contains("JS.RenderBatch", StringComparison.Ordinal)) firstBatch.TrySetResult(clock.Elapsed.TotalMilliseconds);
        };
        clock.Start();
        try
        {
            await page.GotoAsync(url.ToString(), new PageGotoOptions { WaitUntil = WaitUntilState.Commit, Timeout = 30_000 });
            await page.Locator(selector).First.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible, Timeout = 30_000 });
            var elementMs = clock.Elapsed.TotalMilliseconds;
            var done = await Task.WhenAny(firstBatch.Task, Task.Delay(15_000));
            return done == firstBatch.Task
                ? (elementMs, Math.Max(elementMs, firstBatch.Task.Result), null)
                : (elementMs, null, "no circuit render batch within 15 s (page not interactive, or static rendering)");
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException)
        {
            return (null, null, $"{e.GetType().Name}: {e.Message.Split('\n')[0]}");
        }
    }
}
