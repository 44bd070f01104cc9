using ArcBridgeDashboard.Probes.Contracts;

namespace ArcBridgeDashboard.Web.Data;

/// <summary>A verdict change of one agent × target, written on insert so the timeline never scans raw results.</summary>
public sealed class StateChange
{
    public long Id { get; set; }
    public int AgentId { get; set; }
    public int TargetId { get; set; }
    public DateTimeOffset At { get; set; }
    /// <summary>Null for the first result ever seen.</summary>
    public Verdict? From { get; set; }
    public Verdict To { get; set; }
    public Phase Phase { get; set; }
    public ReasonCode Reason { get; set; }
    public string Message { get; set; } = "";
}
