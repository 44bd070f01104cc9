using ArcBridgeDashboard.Web.Agents;
using ArcBridgeDashboard.Web.Configuration;
using ArcBridgeDashboard.Web.Data;
using Microsoft.Extensions.Options;

namespace ArcBridgeDashboard.Web.Monitoring.Status;

public enum AgentState
{
    Online,
    Stale,
    Offline,
    Revoked,
}

/// <summary>
/// Whether an agent is online: the one rule for the Agents page, the overview's coverage gaps and reports. Online when
/// connected live or heard from within <see cref="AgentOptions.OnlineWithin"/>; the built-in agent whenever it is on.
/// </summary>
public sealed class AgentLiveness(AgentPresence presence, IOptions<AgentOptions> options, IOptions<ArcBridgeOptions> dashboardOptions)
{
    public AgentState StateOf(Agent agent, DateTimeOffset now)
    {
        if (agent.RevokedAt is not null)
            return AgentState.Revoked;
        if (agent.IsBuiltIn) // lives in this process
            return dashboardOptions.Value.BuiltInAgentEnabled ? AgentState.Online : AgentState.Offline;
        if (presence.IsConnected(agent.Id))
            return AgentState.Online;
        if (agent.LastSeenAt is not { } seen)
            return AgentState.Offline;
        var age = now - seen;
        return age <= options.Value.OnlineWithin ? AgentState.Online
            : age <= options.Value.OfflineAfter ? AgentState.Stale
            : AgentState.Offline;
    }

    public bool IsOnline(Agent agent, DateTimeOffset now) => StateOf(agent, now) == AgentState.Online;
}
