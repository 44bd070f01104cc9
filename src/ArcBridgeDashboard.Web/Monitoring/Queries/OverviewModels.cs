using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Monitoring.Status;

namespace ArcBridgeDashboard.Web.Monitoring.Queries;

/// <summary>The latest state of one target from one agent.</summary>
public sealed record AgentCell(int AgentId, string AgentName, Verdict Verdict, Phase Phase, ReasonCode Reason, string Message, string Remedy, DateTimeOffset At, bool IsStale);

/// <summary>
/// One source column of one row: that role's agents merged, worst first. <see cref="Verdict"/> is null when no
/// agent of the role has a result (or none exists: <see cref="NoAgent"/>).
/// </summary>
/// <param name="Status">The column's status by <see cref="CheckStatus.FromMerged"/>; what readiness counts.</param>
public sealed record OverviewCell(Sources Role, Verdict? Verdict, Phase Phase, ReasonCode? Reason, string? Message, string? Remedy, DateTimeOffset? At, bool IsStale, bool NoAgent, IReadOnlyList<AgentCell> Agents, DisplayStatus Status);

public sealed record OverviewRow(
    int EndpointId, int TargetId, string Service, string TargetKey, string? Host, string HostPattern, int Port,
    TransportProtocol Protocol, ProbeKind Kind, Sources Sources, bool Required, string? ExpansionNote,
    IReadOnlyDictionary<Sources, OverviewCell> Cells)
{
    public bool NeedsHostname => Host is null;
}

/// <summary>Everything the overview page shows; <see cref="Columns"/> are the source roles in display order.</summary>
public sealed record OverviewModel(
    IReadOnlyList<Sources> Columns, IReadOnlyList<OverviewRow> Rows, Readiness Readiness, DateTimeOffset? LastSweepAt,
    string CatalogVersion, TimeSpan Interval);
