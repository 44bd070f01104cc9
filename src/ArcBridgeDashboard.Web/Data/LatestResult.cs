using ArcBridgeDashboard.Probes.Contracts;

namespace ArcBridgeDashboard.Web.Data;

/// <summary>
/// The newest result per agent × target, with the fields the overview shows copied in. The overview reads only
/// this table, so its cost is O(agents × targets) however many raw results exist.
/// </summary>
public sealed class LatestResult
{
    public int AgentId { get; set; }
    public int TargetId { get; set; }
    public long ResultRowId { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public Verdict Verdict { get; set; }
    public Phase Phase { get; set; }
    public ReasonCode Reason { get; set; }
    public string Message { get; set; } = "";
    public string Remedy { get; set; } = "";
    public double TotalMs { get; set; }
    /// <summary>When the verdict last changed for this agent × target (start of the current state).</summary>
    public DateTimeOffset StateSince { get; set; }
}
