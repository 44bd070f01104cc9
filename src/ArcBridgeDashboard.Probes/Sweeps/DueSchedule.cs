namespace ArcBridgeDashboard.Probes.Sweeps;

/// <summary>
/// Per-item due times for a schedule where every item has its own interval (the built-in agent's endpoints, a
/// remote agent's targets). Shared so both schedulers decide "what is due" the same way. Not thread-safe: one
/// scheduler loop owns it.
/// </summary>
public sealed class DueSchedule<TKey> where TKey : notnull
{
    private readonly Dictionary<TKey, DateTimeOffset> nextDue = [];

    /// <summary>
    /// Forgets items no longer scheduled, makes new ones due at <paramref name="firstDue"/> (or now if that has
    /// passed), and returns the items due at <paramref name="now"/>. Their due times move on by their interval
    /// at once, so an item whose probe fails is retried at its interval, not in a loop.
    /// </summary>
    public IReadOnlySet<TKey> TakeDue(IReadOnlyDictionary<TKey, TimeSpan> intervals, DateTimeOffset now, DateTimeOffset firstDue)
    {
        foreach (var gone in nextDue.Keys.Where(k => !intervals.ContainsKey(k)).ToList())
            nextDue.Remove(gone);
        foreach (var key in intervals.Keys.Where(k => !nextDue.ContainsKey(k)))
            nextDue[key] = firstDue > now ? firstDue : now;
        var due = nextDue.Where(p => p.Value <= now).Select(p => p.Key).ToHashSet();
        foreach (var key in due)
            nextDue[key] = now + intervals[key];
        return due;
    }

    /// <summary>Restarts every item's interval from <paramref name="now"/> (after an out-of-schedule full run).</summary>
    public void RestartAll(IReadOnlyDictionary<TKey, TimeSpan> intervals, DateTimeOffset now)
    {
        nextDue.Clear();
        foreach (var (key, interval) in intervals)
            nextDue[key] = now + interval;
    }

    /// <summary>How long to sleep until the next item is due, between zero and <paramref name="maxSleep"/>.</summary>
    public TimeSpan SleepFrom(DateTimeOffset now, TimeSpan maxSleep)
    {
        var wake = nextDue.Count == 0 ? now + maxSleep : nextDue.Values.Min();
        var sleep = wake - now;
        return sleep < TimeSpan.Zero ? TimeSpan.Zero : sleep > maxSleep ? maxSleep : sleep;
    }
}
