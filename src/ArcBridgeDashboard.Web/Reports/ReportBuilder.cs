using System.Text.Json;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Components.Shared;
using ArcBridgeDashboard.Web.Configuration;
using ArcBridgeDashboard.Web.Data;
using ArcBridgeDashboard.Web.Monitoring.Queries;
using ArcBridgeDashboard.Web.Monitoring.Status;
using Microsoft.EntityFrameworkCore;

namespace ArcBridgeDashboard.Web.Reports;

/// <summary>
/// Builds a readiness report from the overview (<see cref="OverviewQuery"/>: the same merge, staleness and readiness
/// rules as the banner, never recomputed here) plus each cell's evidence: the timings and TLS details of the results
/// behind it, read in one query through <see cref="LatestResult.ResultRowId"/> and its start.
/// </summary>
public sealed class ReportBuilder(
    ArcBridgeDbContext db, OverviewQuery overview, DashboardSettingsStore settingsStore, AgentLiveness liveness, TimeProvider time)
{
    public async Task<ReadinessReport> BuildAsync(string author, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var settings = await settingsStore.GetAsync(cancellationToken);
        var model = await overview.GetAsync(now, TimeSpan.FromMinutes(settings.IntervalMinutes), cancellationToken);
        var agents = await db.Agents.AsNoTracking().Where(a => a.RevokedAt == null).OrderBy(a => a.Id).ToListAsync(cancellationToken);
        var covered = OverviewQuery.Roles.ToDictionary(r => r, r => agents.Any(a => (a.Role & r) != 0 && liveness.IsOnline(a, now)));

        var required = model.Rows.Where(r => r.Required).ToList();
        var targetIds = required.Select(r => r.TargetId).ToList();
        var evidence = (await db.LatestResults.AsNoTracking()
                .Where(l => targetIds.Contains(l.TargetId))
                // On the start as well as the id: on PostgreSQL the start leads each lookup to its one day partition.
                .Join(db.Results, l => new { Id = l.ResultRowId, l.StartedAt }, r => new { r.Id, r.StartedAt }, (l, r) => new { l.AgentId, l.TargetId, r.TimingsJson, r.DetailsJson })
                .ToListAsync(cancellationToken))
            .ToDictionary(e => (e.AgentId, e.TargetId));
        var bypass = await db.Targets.AsNoTracking().Where(t => targetIds.Contains(t.Id) && t.BypassProxy).Select(t => t.Id).ToListAsync(cancellationToken);

        var rows = new List<ReportRow>();
        foreach (var row in required)
        {
            foreach (var (role, cell) in row.Cells.OrderBy(c => c.Key))
            {
                var items = cell.Agents.Select(a =>
                {
                    var stored = evidence.GetValueOrDefault((a.AgentId, row.TargetId));
                    return (Cell: a, Details: stored is null ? null : Deserialize<ProbeDetails>(stored.DetailsJson),
                        Timings: stored is null ? null : Deserialize<Dictionary<string, double>>(stored.TimingsJson));
                }).ToList();
                var verdict = ReportVerdicts.Of(cell.Status, covered[role]);
                var host = row.Host ?? row.HostPattern;
                string finding, remedy;
                if (verdict == ReportVerdict.Incomplete || cell.Reason is null)
                {
                    (finding, remedy) = verdict == ReportVerdict.Ready
                        ? ("Reachable.", "Nothing to do.")
                        : ReportRemedies.ForUnknown(cell.Status, role, covered[role], [.. cell.Agents.Where(a => a.IsStale).Select(a => $"{a.AgentName} at {a.At:yyyy-MM-dd HH:mm} UTC")]);
                }
                else
                {
                    finding = DisplayNames.ForDashboard(cell.Message) ?? "";
                    remedy = verdict == ReportVerdict.Ready && cell.Reason == ReasonCode.Ok
                        ? "Nothing to do."
                        : ReportRemedies.For(cell.Reason.Value, host, row.HostPattern, row.Port, row.Protocol,
                            items.Select(i => i.Details?.Tls?.InterceptingIssuer).FirstOrDefault(i => i is not null), bypass.Contains(row.TargetId));
                }
                rows.Add(new ReportRow($"{row.TargetKey}|{role}", row.EndpointId, row.Service, host, row.HostPattern, row.Port, row.Protocol,
                    role, verdict, cell.Status, cell.Reason, finding, remedy,
                    [.. items.Select(i => new ReportEvidence(i.Cell.AgentName, i.Cell.At, i.Cell.Verdict, i.Cell.Phase, i.Cell.Reason,
                        DisplayNames.ForDashboard(i.Cell.Message) ?? "", i.Cell.IsStale, i.Timings ?? []))]));
            }
        }

        var gaps = covered.Where(c => !c.Value && required.Any(r => r.Cells.ContainsKey(c.Key))).Select(c => c.Key).ToList();
        var counts = new ReportCounts(rows.Count(r => r.Verdict == ReportVerdict.Ready), rows.Count(r => r.Verdict == ReportVerdict.NotReady),
            rows.Count(r => r.Verdict == ReportVerdict.Incomplete));
        return new ReadinessReport
        {
            GeneratedAt = now,
            Author = author,
            Header = HeaderOf(model.CatalogVersion, settings, agents, now),
            Verdict = ReportVerdicts.Overall([.. rows.Select(r => r.Verdict)], gaps.Count > 0),
            Counts = counts,
            Blockers = Blockers(rows, gaps),
            Rows = [.. rows.OrderBy(r => r.Verdict switch { ReportVerdict.NotReady => 0, ReportVerdict.Incomplete => 1, _ => 2 })
                .ThenBy(r => r.Service, StringComparer.OrdinalIgnoreCase).ThenBy(r => r.Key, StringComparer.Ordinal)],
        };
    }

    /// <summary>The header of anything printed now: the same context a report carries, for the page being printed.</summary>
    public async Task<ReportHeader> CurrentHeaderAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var settings = await settingsStore.GetAsync(cancellationToken);
        var version = await db.CatalogVersions.AsNoTracking().Where(v => v.IsActive).Select(v => v.Version).FirstOrDefaultAsync(cancellationToken) ?? "";
        var agents = await db.Agents.AsNoTracking().Where(a => a.RevokedAt == null).OrderBy(a => a.Id).ToListAsync(cancellationToken);
        return HeaderOf(version, settings, agents, now);
    }

    private ReportHeader HeaderOf(string version, DashboardSettings settings, IEnumerable<Agent> agents, DateTimeOffset now) =>
        new(version, settings.Cloud.DisplayName(), settings.Region, ProxyWithoutCredentials(settings.ProxyUrl),
            [.. agents.Select(a => new ReportAgent(a.Name, a.Role.DisplayName(), liveness.StateOf(a, now).DisplayName()))]);

    /// <summary>Gaps first (they hide everything behind them), then each failing check with its remedy.</summary>
    private static List<string> Blockers(IReadOnlyList<ReportRow> rows, IReadOnlyList<Sources> gaps)
    {
        var blockers = gaps.Select(g => $"No online agent covers {g.DisplayName()}: its checks cannot be confirmed.").ToList();
        blockers.AddRange(rows.Where(r => r.Verdict == ReportVerdict.NotReady)
            .Select(r => $"{r.Service} — {r.Endpoint} from {r.Role.DisplayName()}: {r.Reason}. {r.Remedy}"));
        var stale = rows.Count(r => r.Verdict == ReportVerdict.Incomplete && r.Status == DisplayStatus.Stale);
        if (stale > 0)
            blockers.Add($"{DisplayNames.Count(stale, "check has", "checks have")} only stale results.");
        var missing = rows.Count(r => r.Verdict == ReportVerdict.Incomplete && r.Status is DisplayStatus.NoData or DisplayStatus.NeedsHostname);
        if (missing > 0)
            blockers.Add($"{DisplayNames.Count(missing, "check has", "checks have")} no result yet.");
        return blockers;
    }

    /// <summary>Scheme, host and port only: a user or password typed into the URL never reaches a report.</summary>
    public static string ProxyWithoutCredentials(string? proxyUrl)
    {
        if (string.IsNullOrWhiteSpace(proxyUrl))
            return "none (direct)";
        return Uri.TryCreate(proxyUrl.Trim(), UriKind.Absolute, out var uri)
            ? $"{uri.Scheme}://{uri.Host}:{uri.Port}"
            : "(unreadable proxy URL)";
    }

    private static T? Deserialize<T>(string json) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, ProbeJson.Options);
        }
        catch (JsonException)
        {
            return null; // evidence is a courtesy: a row without timings still has its verdict
        }
    }
}
