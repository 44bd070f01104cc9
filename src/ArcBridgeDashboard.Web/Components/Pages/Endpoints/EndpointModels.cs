using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Components.Shared;

namespace ArcBridgeDashboard.Web.Components.Pages.Endpoints;

/// <summary>The drill-down of one probe target.</summary>
public sealed record EndpointDetailModel(
    int TargetId,
    string TargetKey,
    string Service,
    string Host,
    string HostPattern,
    int Port,
    TransportProtocol Protocol,
    string Purpose,
    string? ExpansionNote,
    IReadOnlyList<AgentStatus> Agents,
    ResultSummary? Latest,
    ResultSummary? LatestFailure,
    IReadOnlyList<LatencyPoint> Latency,
    IReadOnlyList<AvailabilityFigure> Availability,
    IReadOnlyList<StatusChange> Changes);

/// <summary>Current status of the target as one agent sees it.</summary>
public sealed record AgentStatus(string Agent, string Source, StatusCell Cell);

/// <summary>One stored result, with what the waterfall and evidence panel need.</summary>
public sealed record ResultSummary(
    string Agent,
    DateTimeOffset At,
    Verdict Verdict,
    Phase Phase,
    ReasonCode Reason,
    string Message,
    string Remedy,
    IReadOnlyDictionary<string, double> TimingsMs,
    ProbeDetails Details);

/// <summary>Total probe time at one moment (an hourly average for long windows).</summary>
public sealed record LatencyPoint(DateTimeOffset At, double TotalMs);

/// <summary>Share of passing results in a window; null when the window holds no result.</summary>
public sealed record AvailabilityFigure(string Window, double? Percent, int Samples);

/// <summary>One row of the paged raw result list.</summary>
public sealed record RawResultRow(DateTimeOffset At, string Agent, Verdict Verdict, Phase Phase, ReasonCode Reason, double TotalMs, string Message);

/// <summary>A page of raw results and the total count, for server paging.</summary>
public sealed record RawResultPage(IReadOnlyList<RawResultRow> Items, int TotalItems);
