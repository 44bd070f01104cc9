namespace ArcBridgeDashboard.Web.Data;

public enum SweepTrigger
{
    Schedule,
    Manual,
}

/// <summary>One pass of one agent over its targets.</summary>
public sealed class Sweep
{
    public long Id { get; set; }
    public int AgentId { get; set; }
    /// <summary><see cref="Probes.Contracts.SweepPass.Id"/>: made by the agent that ran the pass.</summary>
    public Guid PassId { get; set; } = Guid.NewGuid();
    public Agent? Agent { get; set; }
    public SweepTrigger Trigger { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    /// <summary>Null while running (or when the process died mid-sweep).</summary>
    public DateTimeOffset? FinishedAt { get; set; }
    public int TargetCount { get; set; }
    public int PassCount { get; set; }
    public int WarnCount { get; set; }
    public int FailCount { get; set; }
    /// <summary>Why the sweep ended early (engine or settings error); null when it ran to the end.</summary>
    public string? Error { get; set; }
}
