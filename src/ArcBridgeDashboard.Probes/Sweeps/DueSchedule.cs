namespace ArcBridgeDashboard.Probes.Sweeps;

/// <summary>
/// Per-item due times for a schedule where every item has its own interval (the built-in agent's endpoints, a
/// remote agent's targets). Shared so both schedulers decide "what is due" the same way. Not thread-safe: one
/// scheduler loop owns it.
/// </summary>
public sealed class DueSchedule<TKey> where TKey : notnull
{
    // Since: when the item was last run (or restarted), so a changed interval counts from there; null until its first run.
    private readonly Dictionary<TKey, (DateTimeOffset Due, DateTimeOffset? Since)> _items = [];

    /// <summary>
    /// Forgets items no longer scheduled, makes new ones due at <paramref name="firstDue"/> (or now if that has
    /// passed), and returns the items due at <paramref name="now"/>. Their due times move on by their interval
    /// at once, so an item whose probe fails is retried at its interval, not in a loop. An item whose interval
    /// changed is due that new interval after its last run, not after the old one.
    /// </summary>
    public IReadOnlySet<TKey> TakeDue(IReadOnlyDictionary<TKey, TimeSpan> intervals, DateTimeOffset now, DateTimeOffset firstDue)
    {
        foreach (var gone in _items.Keys.Where(k => !intervals.ContainsKey(k)).ToList())
            _items.Remove(gone);
        foreach (var (key, interval) in intervals)
        {
            if (!_items.TryGetValue(key, out var item))
                _items[key] = (firstDue > now ? firstDue : now, null);
            else if (item.Since is { } since)
                _items[key] = (since + interval, since);
        }
        var due = _items.Where(p => p.Value.Due <= now).Select(p => p.Key).ToHashSet();
        foreach (var key in due)
            _items[key] = (now + intervals[key], now);
        return due;
    }

    /// <summary>Restarts every item's interval from <paramref name="now"/> (after an out-of-schedule full run).</summary>
    public void RestartAll(IReadOnlyDictionary<TKey, TimeSpan> intervals, DateTimeOffset now)
    {
        _items.Clear();
        foreach (var (key, interval) in intervals)
            _items[key] = (now + interval, now);
    }

    /// <summary>How long to sleep until the next item is due, between zero and <paramref name="maxSleep"/>.</summary>
    public TimeSpan SleepFrom(DateTimeOffset now, TimeSpan maxSleep)
    {
        var wake = _items.Count == 0 ? now + maxSleep : _items.Values.Min(i => i.Due);
        var sleep = wake - now;
        return sleep < TimeSpan.Zero ? TimeSpan.Zero : sleep > maxSleep ? maxSleep : sleep;
    }
}
