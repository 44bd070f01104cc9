using ArcBridgeDashboard.Web.Agents;
using ArcBridgeDashboard.Web.Components.Shared;
using ArcBridgeDashboard.Web.Monitoring;
using ArcBridgeDashboard.Web.Monitoring.Changes;
using ArcBridgeDashboard.Web.Monitoring.Queries;
using ArcBridgeDashboard.Web.Monitoring.Status;

namespace ArcBridgeDashboard.Web.Components.Pages.Overview;

/// <summary>Data-layer overview and change summaries → the view models the shared components render.</summary>
public static class OverviewMapper
{
    /// <param name="gatewayConfigured">An Arc gateway is set: each HTTPS row says whether its traffic goes through it.</param>
    /// <param name="history">Recent hours per target id and source (<see cref="ReadinessTrendQuery.RecentHistoryAsync"/>); rows without get no bar.</param>
    public static OverviewSnapshot ToSnapshot(OverviewModel model, bool gatewayConfigured = false,
        IReadOnlyDictionary<int, IReadOnlyDictionary<Probes.Contracts.Sources, IReadOnlyList<HistoryBucket>>>? history = null) => new(
        model.Rows.Select(r => ToRow(r) with
        {
            Path = gatewayConfigured ? PathOf(r) : null,
            History = history?.GetValueOrDefault(r.TargetId) is { } h ? ToHistory(h) : null,
        }).ToList(),
        model.Columns.Select(c => c.ToString()).ToList(),
        model.LastSweepAt,
        model.Readiness);

    public static IReadOnlyDictionary<string, IReadOnlyList<HistoryCell>> ToHistory(IReadOnlyDictionary<Probes.Contracts.Sources, IReadOnlyList<HistoryBucket>> history) =>
        history.ToDictionary(h => h.Key.ToString(), h => (IReadOnlyList<HistoryCell>)[.. h.Value.Select(b => new HistoryCell(b.Start, b.Status, b.Pass, b.Warn, b.Fail))]);

    public static TrendPoint ToPoint(TrendBucket b) => new(b.Start, b.Share, b.WithData, b.Passing);

    public static MatrixRow ToRow(OverviewRow row) => new(
        row.TargetKey,
        row.Service,
        row.Host ?? row.HostPattern,
        row.Port,
        row.Protocol,
        row.Cells.ToDictionary(c => c.Key.ToString(), c => ToCell(row, c.Value)),
        row.EndpointId,
        row.Required);

    /// <summary>The probe engine's own rule (ArcGateway.Covers), so the overview shows the path the probe really took.</summary>
    private static MatrixPath? PathOf(OverviewRow row) => row.Kind == Probes.Contracts.ProbeKind.Https && row.Host is { } host
        ? Probes.Proxy.ArcGateway.Covers(host) ? MatrixPath.ViaGateway : MatrixPath.OutsideGateway
        : null;

    public static StatusCell ToCell(OverviewRow row, OverviewCell cell)
    {
        var worst = cell.Agents.Count > 0 ? cell.Agents[0] : null;
        var status = cell.Status;
        var message = status switch
        {
            DisplayStatus.Gap => "No agent runs in this source role yet.",
            DisplayStatus.NeedsHostname => "The wildcard has no concrete host: add a wildcard override in Settings.",
            DisplayStatus.Stale => $"Last result {cell.At?.ToLocalTime():yyyy-MM-dd HH:mm} is older than {CheckStatus.StaleAfterIntervals} probe intervals. {cell.Message}",
            _ => cell.Agents.Count > 1 ? $"{cell.Message} ({worst!.AgentName}, worst of {cell.Agents.Count} agents)" : cell.Message,
        };
        return new StatusCell(status, cell.Phase, cell.Reason, message, cell.At);
    }

    public static SweepChanges ToChanges(SweepChangeSummary summary) => new(
        summary.NewlyFailing.Select(ToChanged).ToList(),
        summary.Recovered.Select(ToChanged).ToList(),
        summary.StillFailing.Select(ToChanged).ToList())
    {
        FirstCheckFailing = summary.FirstCheckFailing.Select(ToChanged).ToList(),
    };

    /// <summary>A Check now across every agent: the finished agents' changes together, the late ones named.</summary>
    public static SweepChanges ToChanges(CheckRunState run, IReadOnlyDictionary<int, AgentCheckProgress> progress) => new(
        run.NewlyFailing.Select(ToChanged).ToList(),
        run.Recovered.Select(ToChanged).ToList(),
        run.StillFailing.Select(ToChanged).ToList())
    {
        FirstCheckFailing = run.FirstCheckFailing.Select(ToChanged).ToList(),
        ReasonChanged = run.ReasonChanged.Select(ToChanged).ToList(),
        Agents = [.. run.Agents.Where(a => a.Finished).Select(a => a.Error is null ? a.Name : $"{a.Name} (failed: {a.Error})")],
        LateAgents = [.. run.Late.Select(a => progress.TryGetValue(a.AgentId, out var p) ? $"{a.Name} ({Math.Min(p.Arrived, p.Expected)}/{p.Expected})" : a.Name)],
        Annotations = [.. run.Annotations.Select(ToNote)],
    };

    public static AnnotationNote ToNote(AnnotationView a) => new(a.At, a.Text, DisplayNames.DisplayName(a.Kind));

    private static ChangedCheck ToChanged(ChangedTarget t) =>
        new(t.TargetKey, t.Service, t.Role.ToString(), t.Reason, t.EndpointId, t.Host, t.AgentName, t.ReasonChanged ? t.PreviousReason : null);
}
