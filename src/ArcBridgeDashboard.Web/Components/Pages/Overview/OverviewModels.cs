using ArcBridgeDashboard.Web.Components.Shared;
using ArcBridgeDashboard.Web.Monitoring.Status;

namespace ArcBridgeDashboard.Web.Components.Pages.Overview;

/// <summary>Everything the overview shows at one moment.</summary>
public sealed record OverviewSnapshot(
    IReadOnlyList<MatrixRow> Rows,
    IReadOnlyList<string> Sources,
    DateTimeOffset? LastSweepAt,
    Readiness Readiness)
{
    public static OverviewSnapshot Empty { get; } = new([], [], null, Readiness.Empty);
}

/// <summary>Progress of a running "Check now".</summary>
public sealed record CheckProgress(bool Running, int Done, int Total)
{
    public static CheckProgress Idle { get; } = new(false, 0, 0);
}
