using ArcBridgeDashboard.Web.Monitoring.Status;

namespace ArcBridgeDashboard.Web.Reports;

public static class ReportVerdicts
{
    /// <summary>
    /// A row's verdict from the overview's status of its cell. A fresh failure is Not ready even when its agent has
    /// since gone offline (it is still a known blocker); a pass counts only while an online agent covers the role.
    /// </summary>
    public static ReportVerdict Of(DisplayStatus status, bool roleCovered) => status switch
    {
        DisplayStatus.Fail => ReportVerdict.NotReady,
        DisplayStatus.Pass or DisplayStatus.Warn when roleCovered => ReportVerdict.Ready,
        _ => ReportVerdict.Incomplete,
    };

    /// <summary>Any blocker makes the report Not ready; otherwise anything unknown (or nothing at all) keeps it Incomplete.</summary>
    public static ReportVerdict Overall(IReadOnlyCollection<ReportVerdict> rows, bool anyGap) =>
        rows.Contains(ReportVerdict.NotReady) ? ReportVerdict.NotReady
        : rows.Count == 0 || anyGap || rows.Contains(ReportVerdict.Incomplete) ? ReportVerdict.Incomplete
        : ReportVerdict.Ready;

    public static string DisplayName(this ReportVerdict verdict) => verdict switch
    {
        ReportVerdict.Ready => "Ready",
        ReportVerdict.NotReady => "Not ready",
        _ => "Incomplete",
    };
}
