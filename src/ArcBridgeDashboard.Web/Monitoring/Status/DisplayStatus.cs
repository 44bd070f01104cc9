namespace ArcBridgeDashboard.Web.Monitoring.Status;

/// <summary>What a cell of the dashboard shows. Wider than <c>Verdict</c>: a result can be too old to trust,
/// missing, blocked on a hostname, or a source may have no agent at all (a coverage gap).</summary>
public enum DisplayStatus
{
    Pass,
    Warn,
    Fail,
    Stale,
    NoData,
    NeedsHostname,
    Gap,
}
