using ArcBridgeDashboard.Probes.Contracts;
using MudBlazor;

namespace ArcBridgeDashboard.Web.Components.Shared;

/// <summary>How a stored verdict becomes what the operator sees, and how each status looks.</summary>
public static class StatusRules
{
    /// <summary>A result older than this many probe intervals is no longer evidence of anything.</summary>
    public const int StaleAfterIntervals = 3;

    /// <summary>
    /// Age is checked before the verdict: an old green result must not reassure anyone, so stale beats pass.
    /// A hostname that could not be expanded is its own status because no probe ever ran.
    /// </summary>
    public static DisplayStatus Classify(Verdict? verdict, ReasonCode? reason, DateTimeOffset? checkedAt,
        DateTimeOffset now, TimeSpan interval)
    {
        if (reason == ReasonCode.NeedsHostname)
        {
            return DisplayStatus.NeedsHostname;
        }
        if (verdict is null || checkedAt is null)
        {
            return DisplayStatus.NoData;
        }
        if (now - checkedAt.Value > interval * StaleAfterIntervals)
        {
            return DisplayStatus.Stale;
        }
        return verdict.Value switch
        {
            Verdict.Pass => DisplayStatus.Pass,
            Verdict.Warn => DisplayStatus.Warn,
            _ => DisplayStatus.Fail,
        };
    }

    /// <summary>
    /// The status of a matrix cell whose agents were already merged worst-first by the data layer. A fresh failure
    /// stays a failure; otherwise any stale agent makes the cell stale, so an old pass never shows green.
    /// </summary>
    public static DisplayStatus FromMerged(Verdict? worstVerdict, bool worstIsStale, bool anyStale, bool noAgent, bool needsHostname)
    {
        if (needsHostname)
        {
            return DisplayStatus.NeedsHostname;
        }
        if (noAgent)
        {
            return DisplayStatus.Gap;
        }
        if (worstVerdict is null)
        {
            return DisplayStatus.NoData;
        }
        if (worstVerdict == Verdict.Fail && !worstIsStale)
        {
            return DisplayStatus.Fail;
        }
        if (anyStale)
        {
            return DisplayStatus.Stale;
        }
        return worstVerdict == Verdict.Warn ? DisplayStatus.Warn : DisplayStatus.Pass;
    }

    public static Color ColorOf(DisplayStatus status) => status switch
    {
        DisplayStatus.Pass => Color.Success,
        DisplayStatus.Warn => Color.Warning,
        DisplayStatus.Fail => Color.Error,
        DisplayStatus.Stale => Color.Secondary,
        DisplayStatus.NeedsHostname => Color.Info,
        DisplayStatus.Gap => Color.Dark,
        _ => Color.Default,
    };

    public static string IconOf(DisplayStatus status) => status switch
    {
        DisplayStatus.Pass => Icons.Material.Filled.CheckCircle,
        DisplayStatus.Warn => Icons.Material.Filled.Warning,
        DisplayStatus.Fail => Icons.Material.Filled.Error,
        DisplayStatus.Stale => Icons.Material.Filled.HourglassBottom,
        DisplayStatus.NeedsHostname => Icons.Material.Filled.EditNote,
        DisplayStatus.Gap => Icons.Material.Filled.VisibilityOff,
        _ => Icons.Material.Filled.HelpOutline,
    };
}
