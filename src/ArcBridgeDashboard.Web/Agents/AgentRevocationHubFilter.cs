using ArcBridgeDashboard.Web.Data;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;

namespace ArcBridgeDashboard.Web.Agents;

/// <summary>
/// Revoking an agent aborts its live connections, but a connection that finishes registering just after that abort
/// would survive with its old authentication. Every hub call, and the connect itself, asks the database again.
/// </summary>
public sealed partial class AgentRevocationHubFilter(IDbContextFactory<ArcBridgeDbContext> contexts, ILogger<AgentRevocationHubFilter> logger) : IHubFilter
{
    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        await RefuseIfRevokedAsync(invocationContext.Context);
        return await next(invocationContext);
    }

    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        await RefuseIfRevokedAsync(context.Context);
        await next(context);
    }

    private async Task RefuseIfRevokedAsync(HubCallerContext caller)
    {
        var agentId = caller.User!.AgentId();
        await using var db = await contexts.CreateDbContextAsync(caller.ConnectionAborted);
        if (await db.Agents.AnyAsync(a => a.Id == agentId && a.RevokedAt == null, caller.ConnectionAborted))
            return;
        LogRevokedCall(agentId, caller.ConnectionId);
        caller.Abort();
        throw new HubException("This agent was revoked; enrol it again with a new token.");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Agent {AgentId} is revoked: its live connection {ConnectionId} is closed")]
    private partial void LogRevokedCall(int agentId, string connectionId);
}
