using ArcBridgeDashboard.Probes.Contracts;

namespace ArcBridgeDashboard.Web.Monitoring.Queries;

/// <summary>The latest state of one target from one agent.</summary>
public sealed record AgentCell(int AgentId, string AgentName, Verdict Verdict, Phase Phase, ReasonCode Reason, string Message, string Remedy, DateTimeOffset At, bool IsStale);

/// <summary>
/// One source column of one row: that role's agents merged, worst first. <see cref="Verdict"/> is null when no
/// agent of the role has a result (or none exists: <see cref="NoAgent"/>).
/// </summary>
public sealed record OverviewCell(Sources Role, Verdict? Verdict, Phase Phase, ReasonCode? Reason, string? Message, string? Remedy, DateTimeOffset? At, bool IsStale, bool NoAgent, IReadOnlyList<AgentCell> Agents)
{
    /// <summary>Counts toward readiness: a fresh Pass or Warn.</summary>
    public bool Passes => Verdict is Probes.Contracts.Verdict.Pass or Probes.Contracts.Verdict.Warn && !IsStale;
}

public sealed record OverviewRow(
    int EndpointId, int TargetId, string Service, string TargetKey, string? Host, string HostPattern, int Port,
    TransportProtocol Protocol, ProbeKind Kind, Sources Sources, bool Required, string? ExpansionNote,
    IReadOnlyDictionary<Sources, OverviewCell> Cells)
{
    public bool NeedsHostname => Host is null;
}

/// <param name="Gaps">Roles needed by a required endpoint that no online agent covers ("no agent covers Appliance VM").</param>
public sealed record Readiness(int Passing, int Total, IReadOnlyList<string>? Gaps = null)
{
    public string Text => $"{Passing} of {Total} required endpoint × source checks pass"
        + (Gaps is { Count: > 0 } gaps ? $"; {string.Join("; ", gaps)}" : "");
    public bool AllPass => Total > 0 && Passing == Total && Gaps is not { Count: > 0 };
}

/// <summary>Everything the overview page shows; <see cref="Columns"/> are the source roles in display order.</summary>
public sealed record OverviewModel(
    IReadOnlyList<Sources> Columns, IReadOnlyList<OverviewRow> Rows, Readiness Readiness, DateTimeOffset? LastSweepAt,
    string CatalogVersion, TimeSpan Interval);
