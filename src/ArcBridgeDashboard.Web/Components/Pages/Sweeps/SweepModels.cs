using ArcBridgeDashboard.Probes.Contracts;

namespace ArcBridgeDashboard.Web.Components.Pages.Sweeps;

/// <summary>One sweep in the history list.</summary>
public sealed record SweepRow(
    long Id,
    string Trigger,
    string Agent,
    DateTimeOffset StartedAt,
    TimeSpan? Duration,
    int Passed,
    int Warned,
    int Failed)
{
    public int Total => Passed + Warned + Failed;

    /// <summary>Started with Check now rather than by the schedule.</summary>
    public bool IsManual { get; init; }
}

/// <summary>A page of sweeps, newest first; the store only knows whether older ones exist.</summary>
public sealed record SweepRowPage(IReadOnlyList<SweepRow> Items, bool HasMore);

/// <summary>One result of a sweep.</summary>
public sealed record SweepResultRow(
    int? EndpointId,
    string TargetKey,
    string Service,
    Verdict Verdict,
    Phase Phase,
    ReasonCode Reason,
    double TotalMs,
    string Message);
