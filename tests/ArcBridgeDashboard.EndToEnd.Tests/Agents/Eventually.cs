using System.Diagnostics;

namespace ArcBridgeDashboard.EndToEnd.Tests.Agents;

public static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> until true or <paramref name="timeout"/>; then fails with <paramref name="what"/>.</summary>
    public static async Task WaitAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, Func<string>? diagnostics = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
                return;
            await Task.Delay(250);
        }
        Assert.Fail($"Timed out after {timeout.TotalSeconds} s waiting for {what}.{Environment.NewLine}{diagnostics?.Invoke()}");
    }

    /// <summary>
    /// Polls <paramref name="poll"/> until it says done, for as long as the work keeps moving: it fails only when the
    /// progress it reports (any value that changes while the work goes on: rows stored, a log's length, a state) stays
    /// the same for <paramref name="stall"/>, or when <paramref name="limit"/> has passed in all. A busy machine makes
    /// the work slower, not stuck, so it does not fail such a wait; a hung one still fails after <paramref name="stall"/>.
    /// </summary>
    public static async Task WaitWhileProgressingAsync(Func<Task<(bool Done, string Progress)>> poll, TimeSpan stall, TimeSpan limit, string what,
        Func<string>? diagnostics = null)
    {
        var total = Stopwatch.StartNew();
        var still = Stopwatch.StartNew();
        string? last = null;
        while (true)
        {
            var (done, progress) = await poll();
            if (done)
                return;
            if (progress != last)
            {
                last = progress;
                still.Restart();
            }
            if (still.Elapsed > stall)
                Assert.Fail($"No progress for {stall.TotalSeconds:0} s (after {total.Elapsed.TotalSeconds:0} s in all) waiting for {what}; last progress: {last}.{Environment.NewLine}{diagnostics?.Invoke()}");
            if (total.Elapsed > limit)
                Assert.Fail($"Still not done after {limit.TotalSeconds:0} s (though progressing) waiting for {what}; last progress: {last}.{Environment.NewLine}{diagnostics?.Invoke()}");
            await Task.Delay(250);
        }
    }
}
