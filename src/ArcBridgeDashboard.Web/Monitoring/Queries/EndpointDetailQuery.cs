using System.Text.Json;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Data;
using ArcBridgeDashboard.Web.Monitoring.Status;
using Microsoft.EntityFrameworkCore;

namespace ArcBridgeDashboard.Web.Monitoring.Queries;

/// <summary>
/// The endpoint drill-down. Current state from LatestResult, availability from DailyRollup and HourlyRollup, latency
/// from HourlyRollup, the timeline from StateChange, raw results by (TargetId, StartedAt) index range: nothing scans
/// history. Reads of Results name the start (or, for the raw-results table, a lower bound on it), so that PostgreSQL
/// opens only the day partitions they need; only a raw-results page that the target's last day cannot fill reads them all.
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
        var latestResult = newest is null ? null : await LoadResultAsync(newest, agents, keys, cancellationToken);
        var latestFailure = await LatestFailureAsync(latest, targetIds, revoked, agents, keys, cancellationToken);

        var availability = await AvailabilityAsync(targetIds, now, cancellationToken);
        var latency = await LatencyAsync(targetIds, now - latencyWindow, latencyWindow, cancellationToken);

        var timeline = (await NewestChangesAsync(db.StateChanges, targetIds, 100, cancellationToken))
            .Select(c => new TimelineEntry(c.At, c.AgentId, NameOf(agents.GetValueOrDefault(c.AgentId)), c.TargetId, c.From, c.To, c.Phase, c.Reason, c.Message))
            .ToList();
        return new EndpointDetail(endpoint, targets, current, latestResult, latestFailure, availability, latency, timeline);
    }

    /// <summary>
    /// Each window is its whole UTC days, from the daily roll-ups, plus the hours before its first whole day, from the
    /// hourly ones (the 24-hour window is hours only; the year is whole days only, as before). So a render reads about 25
    /// days and 72 hours per agent × target whatever the history length, where 30 days of hours alone were 720 rows.
    /// A day row holds exactly its day's hour rows: both are written in one transaction from the same results.
    /// </summary>
    private async Task<List<Availability>> AvailabilityAsync(List<int> targetIds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        DateTimeOffset since24h = now - Windows[0].Span, since7d = now - Windows[1].Span, since30d = now - Windows[2].Span;
        DateTimeOffset days7d = FirstDayFrom(since7d), days30d = FirstDayFrom(since30d), days1y = FirstDayFrom(now - Windows[3].Span);
        var days = await db.DailyRollups.AsNoTracking()
            .Where(d => targetIds.Contains(d.TargetId) && d.DayStart >= days1y)
            .GroupBy(d => 1)
            .Select(g => new
            {
                Count7d = g.Sum(d => d.DayStart >= days7d ? d.Count : 0),
                Passing7d = g.Sum(d => d.DayStart >= days7d ? d.PassCount + d.WarnCount : 0),
                Count30d = g.Sum(d => d.DayStart >= days30d ? d.Count : 0),
                Passing30d = g.Sum(d => d.DayStart >= days30d ? d.PassCount + d.WarnCount : 0),
                Count1y = g.Sum(d => d.Count),
                Passing1y = g.Sum(d => d.PassCount + d.WarnCount),
            })
            .SingleOrDefaultAsync(cancellationToken); // one constant group: First would log EF's "First without OrderBy" warning
        // Three index ranges, not one range with an OR inside it, so that each reads only its own hours.
        var hourly = db.HourlyRollups.AsNoTracking().Where(h => targetIds.Contains(h.TargetId));
        var hours = await hourly.Where(h => h.HourStart >= since24h).Select(h => new { Window = 0, h.Count, Passing = h.PassCount + h.WarnCount })
            .Concat(hourly.Where(h => h.HourStart >= since7d && h.HourStart < days7d).Select(h => new { Window = 1, h.Count, Passing = h.PassCount + h.WarnCount }))
            .Concat(hourly.Where(h => h.HourStart >= since30d && h.HourStart < days30d).Select(h => new { Window = 2, h.Count, Passing = h.PassCount + h.WarnCount }))
            .GroupBy(h => h.Window)
            .Select(g => new { Window = g.Key, Count = g.Sum(h => h.Count), Passing = g.Sum(h => h.Passing) })
            .ToDictionaryAsync(h => h.Window, cancellationToken);
        (int Count, int Passing) Hours(int window) => hours.TryGetValue(window, out var h) ? (h.Count, h.Passing) : (0, 0);
        return
        [
            new(Windows[0].Name, Hours(0).Count, Hours(0).Passing),
            new(Windows[1].Name, Hours(1).Count + (days?.Count7d ?? 0), Hours(1).Passing + (days?.Passing7d ?? 0)),
            new(Windows[2].Name, Hours(2).Count + (days?.Count30d ?? 0), Hours(2).Passing + (days?.Passing30d ?? 0)),
            new(Windows[3].Name, days?.Count1y ?? 0, days?.Passing1y ?? 0),
        ];
    }

    /// <summary>The first UTC midnight at or after <paramref name="at"/>.</summary>
    private static DateTimeOffset FirstDayFrom(DateTimeOffset at)
    {
        var day = ResultPartitions.DayOf(at);
        return DateTimeOffset.FromUnixTimeMilliseconds(day == at.ToUnixTimeMilliseconds() ? day : day + ResultPartitions.DayMs);
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
        // The rows within a day of the target's newest result first: with a lower bound on the start, PostgreSQL reads
        // only the last day partitions instead of every day kept. Only when they cannot fill the page (and tell whether
        // more follow) is everything read. The page is the same either way: every row left out is older than every row read.
        var starts = await db.LatestResults.AsNoTracking().Where(l => l.TargetId == targetId).Select(l => l.StartedAt).ToListAsync(cancellationToken);
        List<Result> rows = [];
        if (starts.Count > 0)
        {
            var recent = starts.Max() - TimeSpan.FromDays(1);
            rows = await PageAsync(db.Results.Where(r => r.TargetId == targetId && r.StartedAt >= recent), page, pageSize, cancellationToken);
        }
        if (rows.Count <= pageSize)
            rows = await PageAsync(db.Results.Where(r => r.TargetId == targetId), page, pageSize, cancellationToken);
        var agents = await db.Agents.AsNoTracking().ToDictionaryAsync(a => a.Id, cancellationToken);
        var key = await db.Targets.Where(t => t.Id == targetId).Select(t => t.Key).FirstOrDefaultAsync(cancellationToken) ?? "";
        var keys = new Dictionary<int, string> { [targetId] = key };
        return new ResultPage([.. rows.Take(pageSize).Select(r => ToView(r, agents, keys))], page, pageSize, rows.Count > pageSize);
    }

    private static async Task<List<Result>> PageAsync(IQueryable<Result> results, int page, int pageSize, CancellationToken cancellationToken) =>
        await results.AsNoTracking().OrderByDescending(r => r.StartedAt).Skip((page - 1) * pageSize).Take(pageSize + 1).ToListAsync(cancellationToken);

    /// <summary>
    /// The newest <paramref name="take"/> changes of the targets: each target's read backwards on its (TargetId, At)
    /// index and stopped after <paramref name="take"/> rows, then merged. One read for all the targets at once had to
    /// fetch and sort every change they ever had, which grows with history.
    /// </summary>
    private static async Task<List<StateChange>> NewestChangesAsync(IQueryable<StateChange> changes, List<int> targetIds, int take, CancellationToken cancellationToken)
    {
        var newest = new List<StateChange>();
        foreach (var targetId in targetIds)
            newest.AddRange(await changes.AsNoTracking().Where(c => c.TargetId == targetId).OrderByDescending(c => c.At).Take(take).ToListAsync(cancellationToken));
        return [.. newest.OrderByDescending(c => c.At).Take(take)];
    }

    private static string NameOf(Agent? agent) => agent is null ? "?" : agent.RevokedAt is null ? agent.Name : $"{agent.Name} (revoked)";

    // A failing cell's own result; otherwise the first result of the most recent failing streak (from StateChange).
    private async Task<ResultView?> LatestFailureAsync(List<LatestResult> latest, List<int> targetIds, List<int> revoked, Dictionary<int, Agent> agents, Dictionary<int, string> keys, CancellationToken cancellationToken)
    {
        var failing = latest.Where(l => l.Verdict == Verdict.Fail).OrderByDescending(l => l.StartedAt).FirstOrDefault();
        if (failing is not null)
            return await LoadResultAsync(failing, agents, keys, cancellationToken);
        var change = (await NewestChangesAsync(db.StateChanges.Where(c => c.To == Verdict.Fail && !revoked.Contains(c.AgentId)), targetIds, 1, cancellationToken))
            .FirstOrDefault();
        if (change is null)
            return null;
        var row = await db.Results.AsNoTracking()
            .Where(r => r.TargetId == change.TargetId && r.StartedAt == change.At && r.AgentId == change.AgentId)
            .FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : ToView(row, agents, keys);
    }

    // The start as well as the id: on PostgreSQL the start names the one day partition to read, where the id alone is
    // looked up in the index of every day kept (planning grows with them).
    private async Task<ResultView?> LoadResultAsync(LatestResult latest, Dictionary<int, Agent> agents, Dictionary<int, string> keys, CancellationToken cancellationToken)
    {
        var row = await db.Results.AsNoTracking().FirstOrDefaultAsync(r => r.Id == latest.ResultRowId && r.StartedAt == latest.StartedAt, cancellationToken);
        return row is null ? null : ToView(row, agents, keys);
    }

    internal static ResultView ToView(Result r, IReadOnlyDictionary<int, Agent> agents, IReadOnlyDictionary<int, string> keys) => new(
        r.Id, r.ResultId, r.SweepId, r.AgentId, NameOf(agents.GetValueOrDefault(r.AgentId)), r.TargetId, keys.GetValueOrDefault(r.TargetId) ?? "",
        r.StartedAt, r.Verdict, r.Phase, r.Reason, r.Message, r.Remedy, r.TotalMs,
        JsonSerializer.Deserialize<Dictionary<string, double>>(r.TimingsJson, ProbeJson.Options) ?? [],
        JsonSerializer.Deserialize<ProbeDetails>(r.DetailsJson, ProbeJson.Options) ?? new ProbeDetails());
}
