using ArcBridgeDashboard.Probes.Contracts;

namespace ArcBridgeDashboard.Web.Monitoring.Status;

/// <summary>
/// How stored verdicts become the status of a check: the one place for staleness, used by the queries, the health
/// check, the pages and reports alike.
/// </summary>
public static class CheckStatus
{
    /// <summary>A result older than this many probe intervals is no longer evidence of anything.</summary>
    public const int StaleAfterIntervals = 3;

    public static TimeSpan StaleAfter(TimeSpan interval) => interval * StaleAfterIntervals;

    public static bool IsStale(DateTimeOffset checkedAt, DateTimeOffset now, TimeSpan interval) => now - checkedAt > StaleAfter(interval);

    /// <summary>The interval that applies to an endpoint: its own override, else the global one.</summary>
    public static TimeSpan IntervalOf(int? endpointIntervalSeconds, TimeSpan global) =>
        endpointIntervalSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : global;

    /// <summary>
    /// Age is checked before the verdict: an old green result must not reassure anyone, so stale beats pass.
    /// A hostname that could not be expanded is its own status because no probe ever ran.
    /// </summary>
    public static DisplayStatus Classify(Verdict? verdict, ReasonCode? reason, DateTimeOffset? checkedAt, DateTimeOffset now, TimeSpan interval)
    {
        if (reason == ReasonCode.NeedsHostname)
            return DisplayStatus.NeedsHostname;
        if (verdict is null || checkedAt is null)
            return DisplayStatus.NoData;
        if (IsStale(checkedAt.Value, now, interval))
            return DisplayStatus.Stale;
        return FromVerdict(verdict.Value);
    }

    /// <summary>
    /// The status of one source column whose agents were merged worst-first. A fresh failure stays a failure;
    /// otherwise any stale agent makes the cell stale, so an old pass never shows green.
    /// </summary>
    public static DisplayStatus FromMerged(Verdict? worstVerdict, bool worstIsStale, bool anyStale, bool noAgent, bool needsHostname)
    {
        if (needsHostname)
            return DisplayStatus.NeedsHostname;
        if (noAgent)
            return DisplayStatus.Gap;
        if (worstVerdict is null)
            return DisplayStatus.NoData;
        if (worstVerdict == Verdict.Fail && !worstIsStale)
            return DisplayStatus.Fail;
        if (anyStale)
            return DisplayStatus.Stale;
        return FromVerdict(worstVerdict.Value);
    }

    /// <summary>
    /// The status of a span of results (an hour of roll-ups): worst first, so one failure makes the hour failing;
    /// no results at all is no data, never a pass or a fail.
    /// </summary>
    public static DisplayStatus FromCounts(int pass, int warn, int fail) =>
        fail > 0 ? DisplayStatus.Fail
        : warn > 0 ? DisplayStatus.Warn
        : pass > 0 ? DisplayStatus.Pass
        : DisplayStatus.NoData;

    private static DisplayStatus FromVerdict(Verdict verdict) => verdict switch
    {
        Verdict.Pass => DisplayStatus.Pass,
        Verdict.Warn => DisplayStatus.Warn,
        _ => DisplayStatus.Fail,
    };
}
