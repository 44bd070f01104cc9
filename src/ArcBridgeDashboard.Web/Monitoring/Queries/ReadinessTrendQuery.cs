using System.Numerics;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Data;
using ArcBridgeDashboard.Web.Monitoring.Status;
using Microsoft.EntityFrameworkCore;

namespace ArcBridgeDashboard.Web.Monitoring.Queries;

/// <summary>Width of the readiness trend: hourly for two days, daily for a month (both from hourly roll-ups), or weekly for a year (daily roll-ups).</summary>
public enum TrendRange
{
    Hours48,
    Days30,
    Year,
}

/// <summary>
/// One bucket of the readiness trend. <paramref name="Share"/> is null when no required check has data in the bucket:
/// "nothing known" must not draw as 0 %.
/// </summary>
/// <param name="WithData">Required check-hours with a result in the bucket (a day holds up to 24 per check).</param>
/// <param name="Passing">Of those, the check-hours that passed (Pass or Warn, as <see cref="Readiness"/> counts them).</param>
public sealed record TrendBucket(DateTimeOffset Start, int WithData, int Passing)
{
    public double? Share => WithData == 0 ? null : (double)Passing / WithData;
}

/// <summary>One hour of one target × source: the results of that source's agents summed, and their worst status.</summary>
public sealed record HistoryBucket(DateTimeOffset Start, int Pass, int Warn, int Fail)
{
    public DisplayStatus Status => CheckStatus.FromCounts(Pass, Warn, Fail);
}

/// <summary>
/// Readiness over time and each check's recent hours, read from roll-ups only (never raw results): the 48-hour and
/// 30-day views from <see cref="HourlyRollup"/> (at most 720 rows per agent × target), the year from
/// <see cref="DailyRollup"/> (at most 371 per agent × target), with the same check-hour arithmetic. Same scope as <see cref="OverviewQuery"/>: active catalog, targets not retired,
/// agents not revoked, and an agent counts for a source only when its role includes that source.
/// </summary>
/// <remarks>With a <see cref="CheckHourCache"/> (as the app registers it), closed hours come from memory and only the
/// current hour, or hours the cache does not hold, are read.</remarks>
public sealed class ReadinessTrendQuery(ArcBridgeDbContext db, CheckHourCache? cache = null)
{
    public const int HistoryHours = 24;

    /// <summary>
    /// The share of required endpoint × source checks passing per bucket. Each check-hour gets the worst status of its
    /// agents' results in that hour (one failure makes the hour failing); a day bucket pools its check-hours.
    /// </summary>
    public async Task<IReadOnlyList<TrendBucket>> TrendAsync(DateTimeOffset now, TrendRange range, CancellationToken cancellationToken = default)
    {
        if (range == TrendRange.Year)
            return await YearAsync(now, cancellationToken);
        var (bucket, count) = range == TrendRange.Days30 ? (TimeSpan.FromDays(1), 30) : (TimeSpan.FromHours(1), 48);
        var lastStart = Floor(now, bucket);
        var from = lastStart - bucket * (count - 1);
        var checks = await CheckHoursAsync(from, now, requiredOnly: true, cancellationToken);
        var byBucket = checks.GroupBy(c => Floor(c.Start, bucket))
            .ToDictionary(g => g.Key, g => Readiness.Of(g.Select(c => c.Status), []));
        return [.. Enumerable.Range(0, count).Select(i =>
        {
            var start = from + bucket * i;
            return byBucket.TryGetValue(start, out var r) ? new TrendBucket(start, r.Passing + r.Failing, r.Passing) : new TrendBucket(start, 0, 0);
        })];
    }

    /// <summary>Weeks (Monday 00:00 UTC) in the year view: 53, so that a whole year is always in it.</summary>
    public const int YearWeeks = 53;

    /// <summary>
    /// The year as <see cref="YearWeeks"/> week buckets, oldest first, the current week last. Each day's hour masks are
    /// ORed across the agents of a role (a failure of any agent in an hour fails that check-hour, as in
    /// <see cref="CheckHoursAsync"/>) and a week pools its check-hours, so a week holds the same counts the hourly roll-ups
    /// would give. Agents with identical days give identical rows, so DISTINCT keeps the rows read near targets × days.
    /// </summary>
    private async Task<IReadOnlyList<TrendBucket>> YearAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var today = Floor(now, TimeSpan.FromDays(1));
        var lastStart = today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
        var first = lastStart.AddDays(-7 * (YearWeeks - 1));
        var rows = await (
            from d in db.DailyRollups.AsNoTracking()
            join t in ScopedTargets(requiredOnly: true) on d.TargetId equals t.Id
            join a in db.Agents.AsNoTracking() on d.AgentId equals a.Id
            where a.RevokedAt == null && d.DayStart >= first
            select new { d.TargetId, t.Sources, a.Role, d.DayStart, d.HourMask, d.FailMask })
            .Distinct()
            .ToListAsync(cancellationToken);
        var checkDays = OverviewQuery.Roles
            .SelectMany(role => rows.Where(r => (r.Sources & role) != 0 && (r.Role & role) != 0).Select(r => (role, r)))
            .GroupBy(x => (x.r.TargetId, x.role, x.r.DayStart))
            .Select(g => (Day: g.Key.DayStart, Hours: g.Aggregate(0, (m, x) => m | x.r.HourMask), Failing: g.Aggregate(0, (m, x) => m | x.r.FailMask)));
        var byWeek = checkDays
            .GroupBy(c => (int)((c.Day - first).TotalDays / 7))
            .ToDictionary(g => g.Key, g => (
                WithData: g.Sum(c => BitOperations.PopCount((uint)c.Hours)),
                Passing: g.Sum(c => BitOperations.PopCount((uint)(c.Hours & ~c.Failing)))));
        return [.. Enumerable.Range(0, YearWeeks).Select(i =>
            byWeek.TryGetValue(i, out var w) ? new TrendBucket(first.AddDays(7 * i), w.WithData, w.Passing) : new TrendBucket(first.AddDays(7 * i), 0, 0))];
    }

    /// <summary>
    /// The last <see cref="HistoryHours"/> hours of every target × source (oldest first, the current hour last), keyed by
    /// target id then source; hours without results are there with zero counts, so every bar has the same length.
    /// </summary>
    public async Task<IReadOnlyDictionary<int, IReadOnlyDictionary<Sources, IReadOnlyList<HistoryBucket>>>> RecentHistoryAsync(
        DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var hour = TimeSpan.FromHours(1);
        var from = Floor(now, hour) - hour * (HistoryHours - 1);
        var checks = (await CheckHoursAsync(from, now, requiredOnly: false, cancellationToken)).ToLookup(c => (c.TargetId, c.Role));
        var targets = await ScopedTargets(requiredOnly: false).Select(t => new { t.Id, t.Sources }).ToListAsync(cancellationToken);
        return targets.ToDictionary(t => t.Id, t => (IReadOnlyDictionary<Sources, IReadOnlyList<HistoryBucket>>)OverviewQuery.Roles
            .Where(r => (t.Sources & r) != 0)
            .ToDictionary(r => r, r =>
            {
                var hours = checks[(t.Id, r)].ToDictionary(c => c.Start);
                return (IReadOnlyList<HistoryBucket>)[.. Enumerable.Range(0, HistoryHours).Select(i => from + hour * i)
                    .Select(s => hours.TryGetValue(s, out var c) ? new HistoryBucket(s, c.Pass, c.Warn, c.Fail) : new HistoryBucket(s, 0, 0, 0))];
            }));
    }

    private sealed record CheckHour(int TargetId, Sources Role, DateTimeOffset Start, int Pass, int Warn, int Fail)
    {
        public DisplayStatus Status => CheckStatus.FromCounts(Pass, Warn, Fail);
    }

    private IQueryable<Target> ScopedTargets(bool requiredOnly) => db.Targets.AsNoTracking()
        .Where(t => t.RetiredAt == null && t.Endpoint!.CatalogVersion!.IsActive && (!requiredOnly || t.Required));

    // Summed per target × hour × agent role in SQL; the roles are split in memory (an agent may hold both), which keeps
    // the row count at targets × hours × distinct roles.
    private async Task<List<CheckHour>> CheckHoursAsync(DateTimeOffset since, DateTimeOffset now, bool requiredOnly, CancellationToken cancellationToken)
    {
        var rows = (await HourRowsAsync(since, now, cancellationToken)).Where(r => !requiredOnly || r.Required);
        return [.. OverviewQuery.Roles
            .SelectMany(role => rows.Where(r => (r.Sources & role) != 0 && (r.Role & role) != 0).Select(r => (role, r)))
            .GroupBy(x => (x.r.TargetId, x.role, x.r.HourStart))
            .Select(g => new CheckHour(g.Key.TargetId, g.Key.role, g.Key.HourStart, g.Sum(x => x.r.Pass), g.Sum(x => x.r.Warn), g.Sum(x => x.r.Fail)))];
    }

    // Closed hours the cache holds for this scope come from it; the rest, from the first hour it lacks, from the database.
    private async Task<List<CheckHourRow>> HourRowsAsync(DateTimeOffset since, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (cache is null)
            return await ReadHourRowsAsync(since, cancellationToken);
        var generation = cache.Generation;
        var scope = await ScopeAsync(cancellationToken);
        var hour = TimeSpan.FromHours(1);
        var thisHour = Floor(now, hour);
        var rows = new List<CheckHourRow>();
        var readFrom = since;
        while (readFrom < thisHour && cache.TryGet(readFrom, scope, out var cached))
        {
            rows.AddRange(cached);
            readFrom += hour;
        }
        var read = await ReadHourRowsAsync(readFrom, cancellationToken);
        var byHour = read.ToLookup(r => r.HourStart);
        for (var h = readFrom; h < thisHour; h += hour)
            cache.Store(h, scope, [.. byHour[h]], generation);
        rows.AddRange(read);
        return rows;
    }

    private async Task<List<CheckHourRow>> ReadHourRowsAsync(DateTimeOffset since, CancellationToken cancellationToken) => await (
            from h in db.HourlyRollups.AsNoTracking()
            join t in ScopedTargets(requiredOnly: false) on h.TargetId equals t.Id
            join a in db.Agents.AsNoTracking() on h.AgentId equals a.Id
            where a.RevokedAt == null && h.HourStart >= since
            group h by new { h.TargetId, t.Sources, t.Required, a.Role, h.HourStart } into g
            select new CheckHourRow(g.Key.TargetId, g.Key.Sources, g.Key.Required, g.Key.Role, g.Key.HourStart,
                g.Sum(h => h.PassCount), g.Sum(h => h.WarnCount), g.Sum(h => h.FailCount)))
        .ToListAsync(cancellationToken);

    // What a cached hour was summed over: the agents not revoked and their roles, the active targets and their sources.
    private async Task<string> ScopeAsync(CancellationToken cancellationToken)
    {
        var agents = await db.Agents.AsNoTracking().Where(a => a.RevokedAt == null).OrderBy(a => a.Id)
            .Select(a => new { a.Id, a.Role }).ToListAsync(cancellationToken);
        var targets = await ScopedTargets(requiredOnly: false).OrderBy(t => t.Id)
            .Select(t => new { t.Id, t.Sources, t.Required }).ToListAsync(cancellationToken);
        return string.Join(',', agents.Select(a => $"{a.Id}:{(int)a.Role}")) + "|" +
            string.Join(',', targets.Select(t => $"{t.Id}:{(int)t.Sources}:{(t.Required ? 1 : 0)}"));
    }

    private static DateTimeOffset Floor(DateTimeOffset at, TimeSpan bucket) =>
        new(at.UtcTicks - at.UtcTicks % bucket.Ticks, TimeSpan.Zero);
}
