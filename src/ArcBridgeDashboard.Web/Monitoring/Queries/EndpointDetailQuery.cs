using System.Text.Json;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Data;
using ArcBridgeDashboard.Web.Monitoring.Status;
using Microsoft.EntityFrameworkCore;

namespace ArcBridgeDashboard.Web.Monitoring.Queries;

/// <summary>
/// The endpoint drill-down. Current state from LatestResult, availability and latency from HourlyRollup (the 1-year
/// availability from DailyRollup),
/// the timeline from StateChange, raw results by (TargetId, StartedAt) index range: nothing scans history.
/// </summary>
public sealed class EndpointDetailQuery(ArcBridgeDbContext db)
{
    /// <summary>About what a 1280 px chart can show; more points only make the page heavier.</summary>
    public const int MaxLatencyPoints = 200;

    private static readonly (string Name, TimeSpan Span)[] Windows =
        [("24 h", TimeSpan.FromHours(24)), ("7 d", TimeSpan.FromDays(7)), ("30 d", TimeSpan.FromDays(30)), ("1 y", TimeSpan.FromDays(365))];

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
        var staleAfter = CheckStatus.StaleAfter(CheckStatus.IntervalOf(endpoint.IntervalSeconds, interval));

        // A revoked agent's results leave the current status at once; history and the timeline keep them, marked.
        var revoked = agents.Values.Where(a => a.RevokedAt is not null).Select(a => a.Id).ToList();
        var latest = (await db.LatestResults.AsNoTracking().Where(l => targetIds.Contains(l.TargetId)).ToListAsync(cancellationToken))
            .Where(l => !revoked.Contains(l.AgentId)).ToList();
        var current = latest.Select(l => new AgentStatus(l.AgentId, agents[l.AgentId].Name, agents[l.AgentId].Role, l.TargetId, keys[l.TargetId],
                l.Verdict, l.Phase, l.Reason, l.Message, l.StartedAt, l.StateSince, now - l.StartedAt > staleAfter))
            .OrderBy(a => a.AgentName).ThenBy(a => a.TargetKey).ToList();
        var newest = latest.OrderByDescending(l => l.StartedAt).FirstOrDefault();
        var latestResult = newest is null ? null : await LoadResultAsync(newest.ResultRowId, agents, keys, cancellationToken);
        var latestFailure = await LatestFailureAsync(latest, targetIds, revoked, agents, keys, cancellationToken);

        var availability = await AvailabilityAsync(targetIds, now, cancellationToken);
        var latency = await LatencyAsync(targetIds, now - latencyWindow, latencyWindow, cancellationToken);

        var timeline = (await db.StateChanges.AsNoTracking()
                .Where(c => targetIds.Contains(c.TargetId))
                .OrderByDescending(c => c.At).Take(100)
                .ToListAsync(cancellationToken))
            .Select(c => new TimelineEntry(c.At, c.AgentId, NameOf(agents.GetValueOrDefault(c.AgentId)), c.TargetId, c.From, c.To, c.Phase, c.Reason, c.Message))
            .ToList();
        return new EndpointDetail(endpoint, targets, current, latestResult, latestFailure, availability, latency, timeline);
    }

    // One pass over the widest window's roll-up range, summed in SQL (≤ 720 hours per agent × target, never raw rows);
    // the narrower windows are conditional sums over the same rows instead of reading them again.
    private async Task<List<Availability>> AvailabilityAsync(List<int> targetIds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        DateTimeOffset since24h = now - Windows[0].Span, since7d = now - Windows[1].Span, since30d = now - Windows[2].Span;
        var sums = await db.HourlyRollups.AsNoTracking()
            .Where(h => targetIds.Contains(h.TargetId) && h.HourStart >= since30d)
            .GroupBy(h => 1)
            .Select(g => new
            {
                Count24h = g.Sum(h => h.HourStart >= since24h ? h.Count : 0),
                Passing24h = g.Sum(h => h.HourStart >= since24h ? h.PassCount + h.WarnCount : 0),
                Count7d = g.Sum(h => h.HourStart >= since7d ? h.Count : 0),
                Passing7d = g.Sum(h => h.HourStart >= since7d ? h.PassCount + h.WarnCount : 0),
                Count30d = g.Sum(h => h.Count),
                Passing30d = g.Sum(h => h.PassCount + h.WarnCount),
            })
            .SingleOrDefaultAsync(cancellationToken); // one constant group: First would log EF's "First without OrderBy" warning
        // The year: days starting within it, from the daily roll-ups (hours are kept a year only by default, days for ever).
        var since1y = now - Windows[3].Span;
        var year = await db.DailyRollups.AsNoTracking()
            .Where(d => targetIds.Contains(d.TargetId) && d.DayStart >= since1y)
            .GroupBy(d => 1)
            .Select(g => new { Count = g.Sum(d => d.Count), Passing = g.Sum(d => d.PassCount + d.WarnCount) })
            .SingleOrDefaultAsync(cancellationToken);
        return
        [
            new(Windows[0].Name, sums?.Count24h ?? 0, sums?.Passing24h ?? 0),
            new(Windows[1].Name, sums?.Count7d ?? 0, sums?.Passing7d ?? 0),
            new(Windows[2].Name, sums?.Count30d ?? 0, sums?.Passing30d ?? 0),
            new(Windows[3].Name, year?.Count ?? 0, year?.Passing ?? 0),
        ];
    }

    /// <summary>
    /// The latency series as the chart shows it: agents and targets merged per hour in SQL (at most one row per hour
    /// instead of one per agent × target × hour), then hours merged into wider buckets so that a long window still
    /// yields at most <see cref="MaxLatencyPoints"/> points (hourly up to ~8 days, 4 h for 30 days).
    /// </summary>
    private async Task<List<LatencyPoint>> LatencyAsync(List<int> targetIds, DateTimeOffset since, TimeSpan window, CancellationToken cancellationToken)
    {
        var hours = await db.HourlyRollups.AsNoTracking()
            .Where(h => targetIds.Contains(h.TargetId) && h.HourStart >= since)
            .GroupBy(h => h.HourStart)
            .Select(g => new { HourStart = g.Key, Count = g.Sum(h => h.Count), SumTotalMs = g.Sum(h => h.SumTotalMs), MaxTotalMs = g.Max(h => h.MaxTotalMs), FailCount = g.Sum(h => h.FailCount) })
            .ToListAsync(cancellationToken);
        var bucketHours = Math.Max(1, (int)Math.Ceiling(window.TotalHours / MaxLatencyPoints));
        var bucket = TimeSpan.FromHours(bucketHours).Ticks;
        return hours
            .GroupBy(h => new DateTimeOffset(h.HourStart.UtcTicks - h.HourStart.UtcTicks % bucket, TimeSpan.Zero))
            .OrderBy(g => g.Key)
            .Select(g =>
            {
                var count = g.Sum(h => h.Count);
                return new LatencyPoint(g.Key, count == 0 ? 0 : g.Sum(h => h.SumTotalMs) / count, g.Max(h => h.MaxTotalMs), count, g.Sum(h => h.FailCount));
            })
            .ToList();
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
    private static string NameOf(Agent? agent) => agent is null ? "?" : agent.RevokedAt is null ? agent.Name : $"{agent.Name} (revoked)";

    private async Task<ResultView?> LatestFailureAsync(List<LatestResult> latest, List<int> targetIds, List<int> revoked, Dictionary<int, Agent> agents, Dictionary<int, string> keys, CancellationToken cancellationToken)
    {
        var failing = latest.Where(l => l.Verdict == Verdict.Fail).OrderByDescending(l => l.StartedAt).FirstOrDefault();
        if (failing is not null)
            return await LoadResultAsync(failing.ResultRowId, agents, keys, cancellationToken);
        var change = await db.StateChanges.AsNoTracking()
            .Where(c => targetIds.Contains(c.TargetId) && c.To == Verdict.Fail && !revoked.Contains(c.AgentId))
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
        r.Id, r.ResultId, r.SweepId, r.AgentId, NameOf(agents.GetValueOrDefault(r.AgentId)), r.TargetId, keys.GetValueOrDefault(r.TargetId) ?? "",
        r.StartedAt, r.Verdict, r.Phase, r.Reason, r.Message, r.Remedy, r.TotalMs,
        JsonSerializer.Deserialize<Dictionary<string, double>>(r.TimingsJson, ProbeJson.Options) ?? [],
        JsonSerializer.Deserialize<ProbeDetails>(r.DetailsJson, ProbeJson.Options) ?? new ProbeDetails());
}
