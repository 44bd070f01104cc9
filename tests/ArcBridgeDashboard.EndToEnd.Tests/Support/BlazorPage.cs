using System.Text;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace ArcBridgeDashboard.EndToEnd.Tests.Support;

/// <summary>Page helpers: open a page and wait until its Blazor circuit is live; save screenshots as artifacts.</summary>
public static class BlazorPage
{
    /// <summary>
    /// Navigates and waits for the circuit's first render batch over the WebSocket. Before it, the page is only
    /// prerendered HTML and a click on Check now would do nothing.
    /// </summary>
    public static async Task OpenAsync(IPage page, Uri url)
    {
        var firstBatch = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        page.WebSocket += (_, socket) => socket.FrameReceived += (_, frame) =>
        {
            // BlazorPack (MessagePack) keeps method names as plain UTF-8, so the render batch is findable in the bytes.
            var text = frame.Text ?? (frame.Binary is { } b ? Encoding.Latin1.GetString(b) : "");
            if (text.Contains("JS.RenderBatch", StringComparison.Ordinal))
                firstBatch.TrySetResult();
        };
        await page.GotoAsync(url.ToString());
        await firstBatch.Task.WaitAsync(TimeSpan.FromSeconds(30));
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
