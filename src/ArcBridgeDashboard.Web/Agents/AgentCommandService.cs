using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Data;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ArcBridgeDashboard.Web.Agents;

/// <summary>
/// Sends commands to remote agents: pushed over the hub when connected, and recorded as a sequence number that
/// agents without a live connection pick up from <see cref="AgentApi.CommandsPath"/> on their next poll.
/// </summary>
public sealed partial class AgentCommandService(
    IHubContext<AgentHub> hub,
    AgentPresence presence,
    IDbContextFactory<ArcBridgeDbContext> dbFactory,
    AgentCheckTracker tracker,
    IOptions<AgentOptions> options,
    TimeProvider time,
    ILogger<AgentCommandService> logger)
{
    public async Task<long> CheckNowAsync(int agentId, CancellationToken cancellationToken = default)
    {
        var sequence = presence.RequestCheckNow(agentId);
        await hub.Clients.Group(AgentHub.GroupOf(agentId)).SendAsync(AgentApi.CheckNowMethod, sequence, cancellationToken);
        LogCheckNow(agentId, sequence, presence.IsConnected(agentId));
        return sequence;
    }

    /// <summary>Asks every online (not revoked, recently seen or connected) remote agent to sweep now.</summary>
    /// <returns>The agents asked.</returns>
    public async Task<IReadOnlyList<int>> CheckNowAllAsync(CancellationToken cancellationToken = default)
    {
        var since = time.GetUtcNow() - options.Value.OnlineWithin;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var recent = await db.Agents.AsNoTracking()
            .Where(a => !a.IsBuiltIn && a.RevokedAt == null && a.LastSeenAt != null)
            .Select(a => new { a.Id, a.Name, a.Role, a.LastSeenAt })
            .ToListAsync(cancellationToken);
        var online = recent.Where(a => a.LastSeenAt >= since || presence.IsConnected(a.Id)).ToList();
        var activeTargets = await db.Targets.AsNoTracking()
            .Where(t => t.RetiredAt == null && t.Host != null && t.Endpoint!.CatalogVersion!.IsActive)
            .Select(t => t.Sources).ToListAsync(cancellationToken);
        foreach (var agent in online)
        {
            tracker.Begin(agent.Id, agent.Name, activeTargets.Count(s => (s & agent.Role) != 0), time.GetUtcNow());
            await CheckNowAsync(agent.Id, cancellationToken);
        }
        return [.. online.Select(a => a.Id)];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Check now {Sequence} sent to agent {AgentId} (live connection: {Connected})")]
    private partial void LogCheckNow(int agentId, long sequence, bool connected);
}
