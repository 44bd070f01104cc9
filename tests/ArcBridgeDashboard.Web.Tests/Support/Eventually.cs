namespace ArcBridgeDashboard.Web.Tests.Support;

/// <summary>Bounded polling for work the app does on its own threads (never a timing assertion).</summary>
public static class Eventually
{
    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what, int timeoutSeconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        T value;
        while (true)
        {
            value = await read();
            if (done(value))
                return value;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Gave up after {timeoutSeconds} s waiting for: {what} (last value: {value})");
            await Task.Delay(50);
        }
    }
}
