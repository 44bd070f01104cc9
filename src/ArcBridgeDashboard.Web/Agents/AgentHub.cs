using ArcBridgeDashboard.Web.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;

namespace ArcBridgeDashboard.Web.Agents;

public sealed record Heartbeat(long AgentTimeUnixMs, int OutboxDepth);

/// <summary>
/// The agents' live channel: they send heartbeats, the server pushes "CheckNow". Each agent sits in its own group
/// ("agent-{id}") so several connections of one agent (a reconnect overlapping the old one) all get commands.
/// </summary>
[Authorize(Policy = AgentsExtensions.AgentPolicy)]
public sealed class AgentHub(AgentPresence presence, ArcBridgeDbContext db, TimeProvider time) : Hub
{
    public static string GroupOf(int agentId) => $"agent-{agentId}";

    public override async Task OnConnectedAsync()
    {
        var agentId = Context.User!.AgentId();
        await Groups.AddToGroupAsync(Context.ConnectionId, GroupOf(agentId));
        presence.Connected(agentId, Context);
        var now = time.GetUtcNow();
        await db.Agents.Where(a => a.Id == agentId).ExecuteUpdateAsync(s => s.SetProperty(a => a.LastSeenAt, now));
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        presence.Disconnected(Context.User!.AgentId(), Context.ConnectionId);
        return Task.CompletedTask;
    }

    /// <returns>The server's clock (Unix ms), so the agent can log its own offset.</returns>
    public async Task<long> SendHeartbeat(Heartbeat heartbeat)
    {
        var agentId = Context.User!.AgentId();
        var now = time.GetUtcNow();
        var offsetMs = (double)(heartbeat.AgentTimeUnixMs - now.ToUnixTimeMilliseconds());
        var depth = Math.Max(0, heartbeat.OutboxDepth);
        await db.Agents.Where(a => a.Id == agentId).ExecuteUpdateAsync(s => s
            .SetProperty(a => a.LastSeenAt, now)
            .SetProperty(a => a.ClockOffsetMs, offsetMs)
            .SetProperty(a => a.OutboxDepth, depth));
        return now.ToUnixTimeMilliseconds();
    }

    /// <summary>The check-now sequence the agent missed while it was disconnected (0: none).</summary>
    public long PendingCheckNow() => presence.CheckNowSequence(Context.User!.AgentId());
}
