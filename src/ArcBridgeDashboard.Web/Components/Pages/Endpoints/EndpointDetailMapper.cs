using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Components.Shared;
using ArcBridgeDashboard.Web.Monitoring.Status;
using Q = ArcBridgeDashboard.Web.Monitoring.Queries;

namespace ArcBridgeDashboard.Web.Components.Pages.Endpoints;

/// <summary>The data layer's endpoint detail → the drill-down view model.</summary>
public static class EndpointDetailMapper
{
    public static EndpointDetailModel ToModel(Q.EndpointDetail d)
    {
        var active = d.Targets.Where(t => t.RetiredAt is null).ToList();
        // One concrete host reads better as the title than the wildcard it came from.
        var title = active.Count == 1 && active[0].Host is { } host ? host : d.Endpoint.HostPattern;
        return new EndpointDetailModel(
            d.Endpoint.Id,
            title,
            d.Endpoint.Service,
            d.Endpoint.HostPattern,
            d.Endpoint.Port,
            d.Endpoint.Protocol,
            d.Endpoint.Purpose,
            d.Endpoint.Note,
            d.Targets.Select(t => new TargetOption(t.Id, t.Key, t.Host, t.ExpansionNote, t.RetiredAt is not null)).ToList(),
            d.Current.Select(ToAgentStatus).ToList(),
            d.LatestResult is null ? null : ToSummary(d.LatestResult),
            d.LatestFailure is null ? null : ToSummary(d.LatestFailure),
            d.Latency.Select(p => new LatencyPoint(p.BucketStart, p.MeanMs, p.MaxMs)).ToList(),
            d.Availability.Select(a => new AvailabilityFigure(a.Window, a.Ratio * 100, a.Count)).ToList(),
            d.Timeline.Select(ToChange).ToList(),
            d.Endpoint.IntervalSeconds);
    }

    public static RawResultPage ToPage(Q.ResultPage page) => new(
        page.Items.Select(r => new RawResultRow(r.StartedAt, r.AgentName, r.Verdict, r.Phase, r.Reason, r.TotalMs, r.Message)).ToList(),
        page.HasMore);

    private static AgentStatus ToAgentStatus(Q.AgentStatus a) => new(
        a.AgentName,
        a.Role.ToString(),
        a.TargetKey,
        new StatusCell(
            a.Reason == ReasonCode.NeedsHostname ? DisplayStatus.NeedsHostname
                : a.Verdict == Verdict.Fail && !a.IsStale ? DisplayStatus.Fail
                : a.IsStale ? DisplayStatus.Stale
                : a.Verdict == Verdict.Warn ? DisplayStatus.Warn : DisplayStatus.Pass,
            a.Phase, a.Reason, $"{a.Message} (since {a.StateSince.ToLocalTime():yyyy-MM-dd HH:mm})", a.At));

    private static ResultSummary ToSummary(Q.ResultView r) =>
        new(r.AgentName, r.TargetKey, r.StartedAt, r.Verdict, r.Phase, r.Reason, r.Message, r.Remedy, r.TimingsMs, r.Details, r.ResultId);

    private static StatusChange ToChange(Q.TimelineEntry e) => new(
        e.At,
        e.From is { } from ? FromVerdict(from) : DisplayStatus.NoData,
        FromVerdict(e.To),
        e.AgentName,
        e.Phase,
        e.Reason,
        e.Message);

    private static DisplayStatus FromVerdict(Verdict v) => v switch
    {
        Verdict.Pass => DisplayStatus.Pass,
        Verdict.Warn => DisplayStatus.Warn,
        _ => DisplayStatus.Fail,
    };
}
