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
    MatrixPath? Path = null);

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

/// <summary>One target/source pair named in a change summary.</summary>
public sealed record ChangedCheck(string TargetKey, string Service, string Source, ReasonCode? Reason = null, int? EndpointId = null);

/// <summary>What changed between the previous sweep and the one just finished.</summary>
public sealed record SweepChanges(
    IReadOnlyList<ChangedCheck> NewlyFailing,
    IReadOnlyList<ChangedCheck> Recovered,
    IReadOnlyList<ChangedCheck> StillFailing)
{
    /// <summary>Failing on their first check (endpoints a new allowlist added).</summary>
    public IReadOnlyList<ChangedCheck> FirstCheckFailing { get; init; } = [];

    public static SweepChanges Empty { get; } = new([], [], []);
    public bool IsQuiet => NewlyFailing.Count == 0 && Recovered.Count == 0 && StillFailing.Count == 0 && FirstCheckFailing.Count == 0;
}
