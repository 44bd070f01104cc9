namespace ArcBridgeDashboard.Web.Reports;

/// <summary>One row of a comparison: the same endpoint × role in the older and the newer report (null where absent).</summary>
public sealed record ComparedRow(string Key, string Service, string Endpoint, ArcBridgeDashboard.Probes.Contracts.Sources Role, ReportRow? Before, ReportRow? After);

/// <summary>Two snapshots side by side, older first.</summary>
public sealed record ReportComparison(
    StoredReport Before, StoredReport After,
    IReadOnlyList<ComparedRow> NewlyFailing, IReadOnlyList<ComparedRow> NewlyPassing, IReadOnlyList<ComparedRow> UnchangedFailing);

public static class ReportComparer
{
    /// <summary>
    /// Rows match by target key and role. Newly failing: Not ready now, not before (or new). Newly passing: Ready now,
    /// not before. Unchanged failing: Not ready in both. The two may be given in either order; the older one is "before".
    /// </summary>
    public static ReportComparison Compare(StoredReport a, StoredReport b)
    {
        var (before, after) = a.Report.GeneratedAt <= b.Report.GeneratedAt ? (a, b) : (b, a);
        var old = before.Report.Rows.ToDictionary(r => r.Key);
        var pairs = after.Report.Rows.Select(r => new ComparedRow(r.Key, r.Service, r.Endpoint, r.Role, old.GetValueOrDefault(r.Key), r))
            .Concat(before.Report.Rows.Where(r => !after.Report.Rows.Any(n => n.Key == r.Key))
                .Select(r => new ComparedRow(r.Key, r.Service, r.Endpoint, r.Role, r, null)))
            .ToList();
        return new ReportComparison(before, after,
            [.. pairs.Where(p => p.After?.Verdict == ReportVerdict.NotReady && p.Before?.Verdict != ReportVerdict.NotReady)],
            [.. pairs.Where(p => p.After?.Verdict == ReportVerdict.Ready && p.Before?.Verdict != ReportVerdict.Ready)],
            [.. pairs.Where(p => p.After?.Verdict == ReportVerdict.NotReady && p.Before?.Verdict == ReportVerdict.NotReady)]);
    }
}
