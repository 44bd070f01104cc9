using ArcBridgeDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace ArcBridgeDashboard.Web.Monitoring.Queries;

public sealed record SweepRow(long Id, int AgentId, string AgentName, SweepTrigger Trigger, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, int TargetCount, int PassCount, int WarnCount, int FailCount, string? Error = null)
{
    public TimeSpan? Duration => FinishedAt - StartedAt;
}

public sealed record SweepPage(IReadOnlyList<SweepRow> Items, int Page, int PageSize, bool HasMore);

/// <summary>The sweep history (newest first, by the StartedAt index) and one sweep's results (by the SweepId index).</summary>
public sealed class SweepHistoryQuery(ArcBridgeDbContext db)
{
    public async Task<SweepPage> GetPageAsync(int page, int pageSize, int? agentId = null, CancellationToken cancellationToken = default)
    {
        page = Math.Max(1, page);
        pageSize = Math.Clamp(pageSize, 1, 200);
        var query = db.Sweeps.AsNoTracking();
        if (agentId is { } id)
            query = query.Where(s => s.AgentId == id);
        var rows = await query.OrderByDescending(s => s.StartedAt).ThenByDescending(s => s.Id)
            .Skip((page - 1) * pageSize).Take(pageSize + 1)
            .Select(s => new SweepRow(s.Id, s.AgentId, s.Agent!.Name, s.Trigger, s.StartedAt, s.FinishedAt, s.TargetCount, s.PassCount, s.WarnCount, s.FailCount, s.Error))
            .ToListAsync(cancellationToken);
        return new SweepPage([.. rows.Take(pageSize)], page, pageSize, rows.Count > pageSize);
    }

    public async Task<SweepRow?> GetSweepAsync(long sweepId, CancellationToken cancellationToken = default) =>
        await db.Sweeps.AsNoTracking().Where(s => s.Id == sweepId)
            .Select(s => new SweepRow(s.Id, s.AgentId, s.Agent!.Name, s.Trigger, s.StartedAt, s.FinishedAt, s.TargetCount, s.PassCount, s.WarnCount, s.FailCount, s.Error))
            .FirstOrDefaultAsync(cancellationToken);

    /// <summary>The results of one sweep, failures first.</summary>
    public async Task<IReadOnlyList<ResultView>> GetResultsAsync(long sweepId, CancellationToken cancellationToken = default)
    {
        var rows = await db.Results.AsNoTracking().Where(r => r.SweepId == sweepId).ToListAsync(cancellationToken);
        var targetIds = rows.Select(r => r.TargetId).Distinct().ToList();
        var keys = await db.Targets.AsNoTracking().Where(t => targetIds.Contains(t.Id)).ToDictionaryAsync(t => t.Id, t => t.Key, cancellationToken);
        var agents = await db.Agents.AsNoTracking().ToDictionaryAsync(a => a.Id, cancellationToken);
        return [.. rows.OrderByDescending(r => r.Verdict).ThenBy(r => keys.GetValueOrDefault(r.TargetId)).Select(r => EndpointDetailQuery.ToView(r, agents, keys))];
    }
}
