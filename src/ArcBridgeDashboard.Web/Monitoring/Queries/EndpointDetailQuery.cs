using System.Text.Json;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace ArcBridgeDashboard.Web.Monitoring.Queries;

/// <summary>
/// The endpoint drill-down. Current state from LatestResult, availability and latency from HourlyRollup,
/// the timeline from StateChange, raw results by (TargetId, StartedAt) index range: nothing scans history.
/// </summary>
public sealed class EndpointDetailQuery(ArcBridgeDbContext db)
{
    private static readonly (string Name, TimeSpan Span)[] Windows =
        [("24 h", TimeSpan.FromHours(24)), ("7 d", TimeSpan.FromDays(7)), ("30 d", TimeSpan.FromDays(30))];

    /// <returns>Null when no endpoint has this id.</returns>
    public async Task<EndpointDetail?> GetAsync(int endpointId, DateTimeOffset now, TimeSpan interval, TimeSpan latencyWindow, CancellationToken cancellationToken = default)
    {
        var endpoint = await db.Endpoints.AsNoTracking().Where(e => e.Id == endpointId)
            .Select(e => new EndpointHeader(e.Id, e.Key, e.Service, e.HostPattern, e.Port, e.Protocol, e.Sources, e.Purpose, e.Origin, e.Note, e.BypassProxy, e.IntervalSeconds, e.CatalogVersion!.IsActive))
            .FirstOrDefaultAsync(cancellationToken);
        if (endpoint is null)
            return null;
        var targets = await db.Targets.AsNoTracking().Where(t => t.EndpointId == endpointId).OrderBy(t => t.RetiredAt != null).ThenBy(t => t.Key).ToListAsync(cancellationToken);
        var targetIds = targets.Select(t => t.Id).ToList();
        var keys = targets.ToDictionary(t => t.Id, t => t.Key);
        var agents = await db.Agents.AsNoTracking().ToDictionaryAsync(a => a.Id, cancellationToken);
        var staleAfter = 3 * (endpoint.IntervalSeconds is { } s ? TimeSpan.FromSeconds(s) : interval);

        var latest = await db.LatestResults.AsNoTracking().Where(l => targetIds.Contains(l.TargetId)).ToListAsync(cancellationToken);
        var current = latest.Select(l => new AgentStatus(l.AgentId, agents[l.AgentId].Name, agents[l.AgentId].Role, l.TargetId, keys[l.TargetId],
                l.Verdict, l.Phase, l.Reason, l.Message, l.StartedAt, l.StateSince, now - l.StartedAt > staleAfter))
            .OrderBy(a => a.AgentName).ThenBy(a => a.TargetKey).ToList();
        var newest = latest.OrderByDescending(l => l.StartedAt).FirstOrDefault();
        var latestResult = newest is null ? null : await LoadResultAsync(newest.ResultRowId, agents, keys, cancellationToken);
        var latestFailure = await LatestFailureAsync(latest, targetIds, agents, keys, cancellationToken);

        // Sums in SQL over the roll-up's primary key range: at most 720 hours per agent × target, never raw rows.
        var availability = new List<Availability>(Windows.Length);
        foreach (var (name, span) in Windows)
        {
            var since = now - span;
            var sums = await db.HourlyRollups.AsNoTracking()
                .Where(h => targetIds.Contains(h.TargetId) && h.HourStart >= since)
                .GroupBy(h => 1)
                .Select(g => new { Count = g.Sum(h => h.Count), Passing = g.Sum(h => h.PassCount + h.WarnCount) })
                .FirstOrDefaultAsync(cancellationToken);
            availability.Add(new Availability(name, sums?.Count ?? 0, sums?.Passing ?? 0));
        }
        var latencySince = now - latencyWindow;
        var latency = (await db.HourlyRollups.AsNoTracking()
                .Where(h => targetIds.Contains(h.TargetId) && h.HourStart >= latencySince)
                .ToListAsync(cancellationToken))
            .OrderBy(h => h.HourStart)
            .Select(h => new LatencyPoint(h.HourStart, h.AgentId, h.TargetId, h.Count == 0 ? 0 : h.SumTotalMs / h.Count, h.MaxTotalMs, h.Count, h.FailCount))
            .ToList();

        var timeline = (await db.StateChanges.AsNoTracking()
                .Where(c => targetIds.Contains(c.TargetId))
                .OrderByDescending(c => c.At).Take(100)
                .ToListAsync(cancellationToken))
            .Select(c => new TimelineEntry(c.At, c.AgentId, agents.GetValueOrDefault(c.AgentId)?.Name ?? "?", c.TargetId, c.From, c.To, c.Phase, c.Reason, c.Message))
            .ToList();
        return new EndpointDetail(endpoint, targets, current, latestResult, latestFailure, availability, latency, timeline);
    }

    /// <summary>Raw results of one target, newest first, by index range (offset paging for the first pages).</summary>
    public async Task<ResultPage> GetResultsAsync(int targetId, int page, int pageSize, CancellationToken cancellationToken = default)
    {
        page = Math.Max(1, page);
        pageSize = Math.Clamp(pageSize, 1, 200);
        var rows = await db.Results.AsNoTracking().Where(r => r.TargetId == targetId)
            .OrderByDescending(r => r.StartedAt).Skip((page - 1) * pageSize).Take(pageSize + 1)
            .ToListAsync(cancellationToken);
        var agents = await db.Agents.AsNoTracking().ToDictionaryAsync(a => a.Id, cancellationToken);
        var key = await db.Targets.Where(t => t.Id == targetId).Select(t => t.Key).FirstOrDefaultAsync(cancellationToken) ?? "";
        var keys = new Dictionary<int, string> { [targetId] = key };
        return new ResultPage([.. rows.Take(pageSize).Select(r => ToView(r, agents, keys))], page, pageSize, rows.Count > pageSize);
    }

    // A failing cell's own result; otherwise the first result of the most recent failing streak (from StateChange).
    private async Task<ResultView?> LatestFailureAsync(List<LatestResult> latest, List<int> targetIds, Dictionary<int, Agent> agents, Dictionary<int, string> keys, CancellationToken cancellationToken)
    {
        var failing = latest.Where(l => l.Verdict == Verdict.Fail).OrderByDescending(l => l.StartedAt).FirstOrDefault();
        if (failing is not null)
            return await LoadResultAsync(failing.ResultRowId, agents, keys, cancellationToken);
        var change = await db.StateChanges.AsNoTracking()
            .Where(c => targetIds.Contains(c.TargetId) && c.To == Verdict.Fail)
            .OrderByDescending(c => c.At).FirstOrDefaultAsync(cancellationToken);
        if (change is null)
            return null;
        var row = await db.Results.AsNoTracking()
            .Where(r => r.TargetId == change.TargetId && r.StartedAt == change.At && r.AgentId == change.AgentId)
            .FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : ToView(row, agents, keys);
    }

    private async Task<ResultView?> LoadResultAsync(long id, Dictionary<int, Agent> agents, Dictionary<int, string> keys, CancellationToken cancellationToken)
    {
        var row = await db.Results.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        return row is null ? null : ToView(row, agents, keys);
    }

    internal static ResultView ToView(Result r, IReadOnlyDictionary<int, Agent> agents, IReadOnlyDictionary<int, string> keys) => new(
        r.Id, r.ResultId, r.SweepId, r.AgentId, agents.GetValueOrDefault(r.AgentId)?.Name ?? "?", r.TargetId, keys.GetValueOrDefault(r.TargetId) ?? "",
        r.StartedAt, r.Verdict, r.Phase, r.Reason, r.Message, r.Remedy, r.TotalMs,
        JsonSerializer.Deserialize<Dictionary<string, double>>(r.TimingsJson, ProbeJson.Options) ?? [],
        JsonSerializer.Deserialize<ProbeDetails>(r.DetailsJson, ProbeJson.Options) ?? new ProbeDetails());
}
