using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Data;

namespace ArcBridgeDashboard.Web.Monitoring;

/// <summary>One agent × target named in a change summary.</summary>
/// <param name="Host">The host probed (the pattern when it has none), shown apart from the service.</param>
/// <param name="PreviousReason">The reason of the previous sweep's failure, when this one still fails.</param>
public sealed record ChangedTarget(int TargetId, int EndpointId, string TargetKey, string Service, int AgentId, string AgentName, Sources Role, ReasonCode Reason, string Message,
    string? Host = null, ReasonCode? PreviousReason = null)
{
    /// <summary>Still failing, for another reason ("now 407 instead of 403"): a change of its own.</summary>
    public bool ReasonChanged => PreviousReason is { } before && before != Reason;
}

/// <summary>What changed since the previous sweep of the same agent.</summary>
public sealed record SweepChangeSummary(
    IReadOnlyList<ChangedTarget> NewlyFailing,
    IReadOnlyList<ChangedTarget> Recovered,
    IReadOnlyList<ChangedTarget> StillFailing,
    long? PreviousSweepId)
{
    /// <summary>Failing targets this agent never checked before (an endpoint a new allowlist added): not "newly failing".</summary>
    public IReadOnlyList<ChangedTarget> FirstCheckFailing { get; init; } = [];

    public static SweepChangeSummary Empty { get; } = new([], [], [], null);
}

/// <summary>A finished sweep: counts plus the change summary.</summary>
public sealed record SweepSummary(
    long SweepId,
    int AgentId,
    SweepTrigger Trigger,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    int TargetCount,
    int PassCount,
    int WarnCount,
    int FailCount,
    SweepChangeSummary Changes,
    string? Error = null);
