namespace ArcBridgeDashboard.Web.Data;

/// <summary>
/// Per agent × target × UTC day counts and latency, maintained at ingest beside <see cref="HourlyRollup"/> (same batch,
/// same transaction, from the same new results) and never deleted: the 1-year views read at most 366 rows per
/// agent × target. The two hour masks keep what the readiness trend needs from the hours of the day: bit h (0–23) is
/// set when hour h had a result (<see cref="HourMask"/>) or a failing result (<see cref="FailMask"/>), so a check-hour's
/// worst status across agents is a bitwise OR, and day buckets count exactly the check-hours the hourly trend counts.
/// </summary>
public sealed class DailyRollup
{
    public int TargetId { get; set; }
    public int AgentId { get; set; }
    /// <summary>Midnight UTC.</summary>
    public DateTimeOffset DayStart { get; set; }
    public int Count { get; set; }
    public int PassCount { get; set; }
    public int WarnCount { get; set; }
    public int FailCount { get; set; }
    public double SumTotalMs { get; set; }
    public double MaxTotalMs { get; set; }
    /// <summary>Bit h set: UTC hour h of the day has at least one result.</summary>
    public int HourMask { get; set; }
    /// <summary>Bit h set: UTC hour h of the day has at least one Fail.</summary>
    public int FailMask { get; set; }
}
