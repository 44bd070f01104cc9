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
}
