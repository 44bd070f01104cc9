using ArcBridgeDashboard.Probes.Contracts;

namespace ArcBridgeDashboard.Web.Monitoring.Queries;

/// <summary>One hour of hourly roll-ups summed per target and agent role (what <see cref="ReadinessTrendQuery"/> reads).</summary>
public sealed record CheckHourRow(int TargetId, Sources Sources, bool Required, Sources Role, DateTimeOffset HourStart, int Pass, int Warn, int Fail);

/// <summary>
/// The closed hours of <see cref="ReadinessTrendQuery"/>, kept in memory so that an overview render reads only the
/// current hour from the database. With 100 agents × 46 targets the 48-hour trend and the 24-hour bars sum ~330,000
/// roll-up rows, and the overview renders again on every result that arrives.
/// <para>A closed hour changes only when a result for it arrives late (an agent's buffer sent after an outage). Every
/// stored result is announced on <see cref="LiveStatusNotifier"/>, on every replica through the Redis relay, and drops
/// its hour. A read that overlapped such an announcement does not keep that hour. Agents, their roles and revocation, and
/// the active targets are part of every entry's scope, so a change there is seen on the next read. An entry lives at
/// most <see cref="MaxAge"/>: that bounds what a lost announcement or a retention purge can leave behind.</para>
/// </summary>
public sealed class CheckHourCache : IDisposable
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(10);

    // The 30-day trend is the widest reader; older hours are not worth the memory.
    private static readonly TimeSpan Window = TimeSpan.FromDays(31);

    private readonly LiveStatusNotifier _notifier;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<DateTimeOffset, Entry> _hours = [];
    private readonly Dictionary<DateTimeOffset, long> _announced = []; // hour → generation of its last announced result
    private long _generation;

    public CheckHourCache(LiveStatusNotifier notifier, TimeProvider time)
    {
        _notifier = notifier;
        _time = time;
        notifier.ResultArrived += OnResultArrived;
    }

    /// <summary>Read before the database is, and handed back to <see cref="Store"/>.</summary>
    public long Generation
    {
        get { lock (_gate) return _generation; }
    }

    public bool TryGet(DateTimeOffset hour, string scope, out IReadOnlyList<CheckHourRow> rows)
    {
        lock (_gate)
        {
            if (_hours.TryGetValue(hour, out var entry) && entry.Scope == scope && _time.GetUtcNow() - entry.StoredAt < MaxAge)
            {
                rows = entry.Rows;
                return true;
            }
        }
        rows = [];
        return false;
    }

    /// <summary>Keeps a closed hour read from the database, unless a result for it was announced since <paramref name="generationAtRead"/>.</summary>
    public void Store(DateTimeOffset hour, string scope, IReadOnlyList<CheckHourRow> rows, long generationAtRead)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (_announced.TryGetValue(hour, out var announced) && announced > generationAtRead)
                return;
            _hours[hour] = new Entry(scope, rows, now);
            foreach (var old in _hours.Keys.Where(h => h < now - Window).ToList())
                _hours.Remove(old);
            foreach (var old in _announced.Keys.Where(h => h < now - Window).ToList())
                _announced.Remove(old);
        }
    }

    /// <summary>Forgets every hour (retention deleted roll-ups).</summary>
    public void Clear()
    {
        lock (_gate)
            _hours.Clear();
    }

    public void Dispose() => _notifier.ResultArrived -= OnResultArrived;

    private void OnResultArrived(ResultArrivedEvent e)
    {
        var at = e.Result.StartedAt;
        var hour = new DateTimeOffset(at.UtcTicks - at.UtcTicks % TimeSpan.TicksPerHour, TimeSpan.Zero);
        lock (_gate)
        {
            _announced[hour] = ++_generation;
            _hours.Remove(hour);
        }
    }

    private sealed record Entry(string Scope, IReadOnlyList<CheckHourRow> Rows, DateTimeOffset StoredAt);
}
