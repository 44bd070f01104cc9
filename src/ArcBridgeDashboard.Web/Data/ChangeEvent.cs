using ArcBridgeDashboard.Probes.Contracts;

namespace ArcBridgeDashboard.Web.Data;

/// <summary>
/// A confirmed change of state of one agent × target: its verdict, or the reason of a failure ("still failing, now
/// 407 instead of 403"), agreed on by enough consecutive results (flap damping). What "What changed" and
/// notifications read; the raw <see cref="StateChange"/> rows keep every flip for the drill-down timeline.
/// </summary>
public sealed class ChangeEvent
{
    public long Id { get; set; }
    public int AgentId { get; set; }
    public int TargetId { get; set; }
    /// <summary>The first result of the new state: when it really began.</summary>
    public DateTimeOffset At { get; set; }
    /// <summary>The result that confirmed it (the same as <see cref="At"/> for a Check now result).</summary>
    public DateTimeOffset ConfirmedAt { get; set; }
    /// <summary>Null for the first state ever confirmed.</summary>
    public Verdict? From { get; set; }
    public ReasonCode? FromReason { get; set; }
    public Verdict To { get; set; }
    public Phase Phase { get; set; }
    public ReasonCode Reason { get; set; }
    public string Message { get; set; } = "";
    /// <summary>Confirmed by a Check now result, which counts in full.</summary>
    public bool ByCheckNow { get; set; }
}

/// <summary>
/// Flap damping state of one agent × target: the confirmed state, and the candidate that disagrees with it and how
/// many consecutive results agreed on it.
/// </summary>
public sealed class ConfirmedState
{
    public int AgentId { get; set; }
    public int TargetId { get; set; }
    public Verdict? Verdict { get; set; }
    public ReasonCode? Reason { get; set; }
    /// <summary>The newest result walked; an older, late result does not move the state.</summary>
    public DateTimeOffset LastAt { get; set; }
    public Verdict? PendingVerdict { get; set; }
    public ReasonCode? PendingReason { get; set; }
    public int PendingCount { get; set; }
    public DateTimeOffset? PendingSince { get; set; }
}

public enum AnnotationKind
{
    Operator,
    Settings,
    Allowlist,
}

/// <summary>A moment someone (or the dashboard itself) marked: "proxy change CHG-1234", "proxy URL changed from a to b".</summary>
public sealed class Annotation
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    public string Text { get; set; } = "";
    public AnnotationKind Kind { get; set; }
    /// <summary>Who wrote it, when sign-in knows; null for the dashboard's own.</summary>
    public string? Author { get; set; }
}

/// <summary>One Check now across every online agent: who was asked and until when the dashboard waits for them.</summary>
public sealed class CheckRun
{
    public long Id { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset DeadlineAt { get; set; }
    /// <summary>When the last agent finished; null while waiting or when some never did.</summary>
    public DateTimeOffset? CompletedAt { get; set; }
    /// <summary>The agents asked, comma-separated ids.</summary>
    public string AgentIds { get; set; } = "";
}
