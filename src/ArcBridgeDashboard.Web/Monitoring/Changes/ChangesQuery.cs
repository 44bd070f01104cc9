using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace ArcBridgeDashboard.Web.Monitoring.Changes;

/// <summary>One confirmed change as the What changed page shows it: service and host apart, the agent by name.</summary>
public sealed record ChangeRow(
    long Id, DateTimeOffset At, int AgentId, string AgentName, bool AgentRevoked, Sources AgentRole, int TargetId, int EndpointId,
    string Service, string Host, string TargetKey, bool Required, Verdict? From, ReasonCode? FromReason, Verdict To, Phase Phase,
    ReasonCode Reason, string Message, bool ByCheckNow);

/// <summary>Filters of the What changed page; null: all.</summary>
public sealed record ChangeFilter(string? Service = null, int? AgentId = null, ReasonCode? Reason = null);

/// <summary>Confirmed changes by time window (the At index), newest first.</summary>
public sealed class ChangesQuery(ArcBridgeDbContext db)
{
    public const int MaxRows = 1000;

    public async Task<IReadOnlyList<ChangeRow>> InWindowAsync(DateTimeOffset from, DateTimeOffset to, ChangeFilter? filter = null, CancellationToken cancellationToken = default)
    {
        var query = db.ChangeEvents.AsNoTracking().Where(c => c.At >= from && c.At <= to);
        if (filter?.AgentId is { } agentId)
            query = query.Where(c => c.AgentId == agentId);
        if (filter?.Reason is { } reason)
            query = query.Where(c => c.Reason == reason || c.FromReason == reason);
        var rows = await Project(query, filter?.Service, newestFirst: true).Take(MaxRows).ToListAsync(cancellationToken);
        return [.. rows.OrderByDescending(r => r.At).ThenByDescending(r => r.Id)];
    }

    public async Task<IReadOnlyList<ChangeRow>> ByIdsAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken = default) =>
        await Project(db.ChangeEvents.AsNoTracking().Where(c => ids.Contains(c.Id)), null, newestFirst: false).ToListAsync(cancellationToken);

    /// <summary>The services and agents to filter by: those with events, display names sorted.</summary>
    public async Task<(IReadOnlyList<string> Services, IReadOnlyList<(int Id, string Name)> Agents)> FilterChoicesAsync(CancellationToken cancellationToken = default)
    {
        var services = await db.Endpoints.AsNoTracking().Select(e => e.Service).Distinct().OrderBy(s => s).ToListAsync(cancellationToken);
        var agents = await db.Agents.AsNoTracking().OrderBy(a => a.Name).Select(a => new { a.Id, a.Name, a.RevokedAt }).ToListAsync(cancellationToken);
        return (services, [.. agents.Select(a => (a.Id, a.RevokedAt is null ? a.Name : $"{a.Name} (revoked agent)"))]);
    }

    // Ordered before the projection: EF cannot order by a record's constructor arguments.
    private IQueryable<ChangeRow> Project(IQueryable<ChangeEvent> events, string? service, bool newestFirst) =>
        from c in newestFirst ? events.OrderByDescending(c => c.At).ThenByDescending(c => c.Id) : events.OrderBy(c => c.Id)
        join t in db.Targets on c.TargetId equals t.Id
        join e in db.Endpoints on t.EndpointId equals e.Id
        join a in db.Agents on c.AgentId equals a.Id
        where service == null || e.Service == service
        select new ChangeRow(c.Id, c.At, c.AgentId, a.Name, a.RevokedAt != null, a.Role, c.TargetId, t.EndpointId, e.Service,
            t.Host ?? e.HostPattern, t.Key, t.Required, c.From, c.FromReason, c.To, c.Phase, c.Reason, c.Message, c.ByCheckNow);
}
