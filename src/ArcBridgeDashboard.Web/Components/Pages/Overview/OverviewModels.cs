using ArcBridgeDashboard.Web.Components.Shared;

namespace ArcBridgeDashboard.Web.Components.Pages.Overview;

/// <summary>Everything the overview shows at one moment.</summary>
public sealed record OverviewSnapshot(
    IReadOnlyList<MatrixRow> Rows,
    IReadOnlyList<string> Sources,
    DateTimeOffset? LastSweepAt,
    IReadOnlyList<string>? Gaps = null)
{
    public static OverviewSnapshot Empty { get; } = new([], [], null);

    /// <summary>Required target × source checks; only these count towards readiness.</summary>
    private IEnumerable<StatusCell> RequiredCells => Rows.Where(r => r.Required).SelectMany(r => r.Cells.Values);

    public int Total => RequiredCells.Count();
    /// <summary>A fresh Warn is reachable (e.g. clock skew under the fail threshold), so it counts as passing.</summary>
    public int Passing => RequiredCells.Count(c => c.Status is DisplayStatus.Pass or DisplayStatus.Warn);
    public int Failing => RequiredCells.Count(c => c.Status == DisplayStatus.Fail);

    /// <summary>Stale, missing, hostname-less or uncovered: not known to pass, so not counted as passing.</summary>
    public int Unknown => RequiredCells.Count(c => c.Status is DisplayStatus.Stale or DisplayStatus.NoData
        or DisplayStatus.NeedsHostname or DisplayStatus.Gap);
}

/// <summary>Progress of a running "Check now".</summary>
public sealed record CheckProgress(bool Running, int Done, int Total)
{
    public static CheckProgress Idle { get; } = new(false, 0, 0);
}
