using ArcBridgeDashboard.Probes.Contracts;

using ArcBridgeDashboard.Web.Monitoring.Status;

namespace ArcBridgeDashboard.Web.Components.Shared;

// The components render these small records rather than entities, so they can be tested without a database
// and the data layer can change its schema freely; pages map query results onto them.

/// <summary>The latest state of one target as seen from one source.</summary>
public sealed record StatusCell(
    DisplayStatus Status,
    Phase Phase = Phase.None,
    ReasonCode? Reason = null,
    string? Message = null,
    DateTimeOffset? CheckedAt = null);

/// <summary>One row of the overview matrix: a probe target and its status per source column.</summary>
public sealed record MatrixRow(
    string TargetKey,
    string Service,
    string Host,
    int Port,
    TransportProtocol Protocol,
    IReadOnlyDictionary<string, StatusCell> Cells,
    int? EndpointId = null,
    bool Required = true,
    MatrixPath? Path = null)
{
    /// <summary>Recent hours per source column (oldest first), drawn as a small bar under the status; none when absent.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<HistoryCell>>? History { get; init; }
}

/// <summary>Arc gateway mode: whether a row's traffic goes through the gateway; null when no gateway is set.</summary>
public enum MatrixPath
{
    ViaGateway,
    OutsideGateway,
}

/// <summary>A change of state of one target from one source.</summary>
public sealed record StatusChange(
    DateTimeOffset At,
    DisplayStatus From,
    DisplayStatus To,
    string Source,
    Phase Phase = Phase.None,
    ReasonCode? Reason = null,
    string? Message = null);

/// <summary>One agent × target named in a change summary: the service and the host apart, and which agent saw it.</summary>
/// <param name="PreviousReason">Still failing for another reason: the reason before ("now 407 instead of 403").</param>
public sealed record ChangedCheck(string TargetKey, string Service, string Source, ReasonCode? Reason = null, int? EndpointId = null,
    string? Host = null, string? AgentName = null, ReasonCode? PreviousReason = null);

/// <summary>A moment someone marked, as a summary or a chart shows it.</summary>
public sealed record AnnotationNote(DateTimeOffset At, string Text, string Kind);

/// <summary>What changed between the previous check and this one (every agent of a Check now, or one sweep).</summary>
public sealed record SweepChanges(
    IReadOnlyList<ChangedCheck> NewlyFailing,
    IReadOnlyList<ChangedCheck> Recovered,
    IReadOnlyList<ChangedCheck> StillFailing)
{
    /// <summary>Failing on their first check (endpoints a new allowlist added).</summary>
    public IReadOnlyList<ChangedCheck> FirstCheckFailing { get; init; } = [];

    /// <summary>Still failing, but now for another reason: a change of its own.</summary>
    public IReadOnlyList<ChangedCheck> ReasonChanged { get; init; } = [];

    /// <summary>Agents past the deadline ("vm-1 (8/20)"): their changes are added as their results arrive.</summary>
    public IReadOnlyList<string> LateAgents { get; init; } = [];

    /// <summary>Agents whose pass is in the summary.</summary>
    public IReadOnlyList<string> Agents { get; init; } = [];

    /// <summary>Annotations since the previous check (a Settings change, an allowlist, an operator's note).</summary>
    public IReadOnlyList<AnnotationNote> Annotations { get; init; } = [];

    public static SweepChanges Empty { get; } = new([], [], []);
    public bool IsQuiet => NewlyFailing.Count == 0 && Recovered.Count == 0 && StillFailing.Count == 0 && FirstCheckFailing.Count == 0 && ReasonChanged.Count == 0;
}

/// <summary>One bucket of the readiness trend; <paramref name="Share"/> null means no required check had data.</summary>
public sealed record TrendPoint(DateTimeOffset Start, double? Share, int WithData, int Passing);

/// <summary>One hour of one check's recent history: its results' counts and their worst status.</summary>
public sealed record HistoryCell(DateTimeOffset Start, DisplayStatus Status, int Pass, int Warn, int Fail);
