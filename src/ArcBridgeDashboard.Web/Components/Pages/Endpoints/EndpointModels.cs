using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Components.Shared;

namespace ArcBridgeDashboard.Web.Components.Pages.Endpoints;

/// <summary>The drill-down of one probe target.</summary>
public sealed record EndpointDetailModel(
    int EndpointId,
    string Title,
    string Service,
    string HostPattern,
    int Port,
    TransportProtocol Protocol,
    string Purpose,
    string? Note,
    IReadOnlyList<TargetOption> Targets,
    IReadOnlyList<AgentStatus> Agents,
    ResultSummary? Latest,
    ResultSummary? LatestFailure,
    IReadOnlyList<LatencyPoint> Latency,
    IReadOnlyList<AvailabilityFigure> Availability,
    IReadOnlyList<StatusChange> Changes,
    int? IntervalSeconds = null);

/// <summary>A concrete target of the endpoint (a wildcard may expand to several; retired ones keep their history).</summary>
public sealed record TargetOption(int Id, string Key, string? Host, string? ExpansionNote, bool Retired);

/// <summary>Current status of one target as one agent sees it.</summary>
public sealed record AgentStatus(string Agent, string Source, string TargetKey, StatusCell Cell);

/// <summary>One stored result, with what the waterfall and evidence panel need.</summary>
public sealed record ResultSummary(
    string Agent,
    string TargetKey,
    DateTimeOffset At,
    Verdict Verdict,
    Phase Phase,
    ReasonCode Reason,
    string Message,
    string Remedy,
    IReadOnlyDictionary<string, double> TimingsMs,
    ProbeDetails Details,
    Guid? ResultId = null);

/// <summary>Total probe time in one hour, across agents: mean and worst.</summary>
public sealed record LatencyPoint(DateTimeOffset At, double MeanMs, double MaxMs);

/// <summary>Share of passing results in a window; null when the window holds no result.</summary>
public sealed record AvailabilityFigure(string Window, double? Percent, int Samples);

/// <summary>One row of the paged raw result list.</summary>
public sealed record RawResultRow(DateTimeOffset At, string Agent, Verdict Verdict, Phase Phase, ReasonCode Reason, double TotalMs, string Message);

/// <summary>A page of raw results; the store pages by index range and only knows whether more exist.</summary>
public sealed record RawResultPage(IReadOnlyList<RawResultRow> Items, bool HasMore);
