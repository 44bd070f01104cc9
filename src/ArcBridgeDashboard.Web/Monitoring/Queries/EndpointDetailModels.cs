using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Data;

namespace ArcBridgeDashboard.Web.Monitoring.Queries;

/// <summary>One stored result with its timings and evidence parsed back.</summary>
public sealed record ResultView(
    long Id, Guid ResultId, long? SweepId, int AgentId, string AgentName, int TargetId, string TargetKey, DateTimeOffset StartedAt,
    Verdict Verdict, Phase Phase, ReasonCode Reason, string Message, string Remedy, double TotalMs,
    IReadOnlyDictionary<string, double> TimingsMs, ProbeDetails Details);

public sealed record AgentStatus(int AgentId, string AgentName, Sources Role, int TargetId, string TargetKey, Verdict Verdict, Phase Phase, ReasonCode Reason, string Message, DateTimeOffset At, DateTimeOffset StateSince, bool IsStale);

/// <summary>Share of passing (Pass or Warn) results in a window; null when there were none.</summary>
public sealed record Availability(string Window, int Count, int Passing)
{
    public double? Ratio => Count == 0 ? null : (double)Passing / Count;
}

/// <summary>One hour of one agent × target: mean and max total latency.</summary>
public sealed record LatencyPoint(DateTimeOffset HourStart, int AgentId, int TargetId, double MeanMs, double MaxMs, int Count, int FailCount);

public sealed record TimelineEntry(DateTimeOffset At, int AgentId, string AgentName, int TargetId, Verdict? From, Verdict To, Phase Phase, ReasonCode Reason, string Message);

public sealed record EndpointHeader(int Id, string Key, string Service, string HostPattern, int Port, TransportProtocol Protocol, Sources Sources, string Purpose, EndpointOrigin Origin, string? Note, bool BypassProxy, int? IntervalSeconds, bool InActiveCatalog);

public sealed record EndpointDetail(
    EndpointHeader Endpoint,
    IReadOnlyList<Target> Targets,
    IReadOnlyList<AgentStatus> Current,
    ResultView? LatestResult,
    ResultView? LatestFailure,
    IReadOnlyList<Availability> Availability,
    IReadOnlyList<LatencyPoint> Latency,
    IReadOnlyList<TimelineEntry> Timeline);

public sealed record ResultPage(IReadOnlyList<ResultView> Items, int Page, int PageSize, bool HasMore);
