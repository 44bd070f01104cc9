namespace ArcBridgeDashboard.Web.Monitoring.Status;

/// <summary>
/// Readiness over the required endpoint × source checks, computed once (by the overview query) for the banner, the
/// health of the deployment and reports. A fresh Warn is reachable (clock skew under the fail threshold), so it
/// passes; stale, missing, hostname-less and uncovered checks are not known to pass.
/// </summary>
/// <param name="Gaps">Roles a required endpoint needs that no online agent covers.</param>
public sealed record Readiness(int Passing, int Failing, int Unknown, int Total, IReadOnlyList<string> Gaps)
{
    public static Readiness Empty { get; } = new(0, 0, 0, 0, []);

    public static Readiness Of(IEnumerable<DisplayStatus> requiredChecks, IReadOnlyList<string> gaps)
    {
        var statuses = requiredChecks.ToList();
        return new Readiness(
            statuses.Count(s => s is DisplayStatus.Pass or DisplayStatus.Warn),
            statuses.Count(s => s == DisplayStatus.Fail),
            statuses.Count(s => s is DisplayStatus.Stale or DisplayStatus.NoData or DisplayStatus.NeedsHostname or DisplayStatus.Gap),
            statuses.Count,
            gaps);
    }

    public string Text => $"{Passing} of {Total} required endpoint × source checks pass"
        + (Gaps.Count > 0 ? $"; {string.Join("; ", Gaps)}" : "");

    public bool AllPass => Total > 0 && Passing == Total && Gaps.Count == 0;
}
