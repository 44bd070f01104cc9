namespace ArcBridgeDashboard.Web.Data;

/// <summary>
/// Per agent × target × hour counts and latency, maintained on insert. Availability (24 h/7 d/30 d) and latency
/// charts read at most 720 rows per agent × target instead of scanning raw results.
/// </summary>
public sealed class HourlyRollup
{
    public int TargetId { get; set; }
    public int AgentId { get; set; }
    public DateTimeOffset HourStart { get; set; }
    public int Count { get; set; }
    public int PassCount { get; set; }
    public int WarnCount { get; set; }
    public int FailCount { get; set; }
    public double SumTotalMs { get; set; }
    public double MaxTotalMs { get; set; }
}
