using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Components.Shared;
using ArcBridgeDashboard.Web.Data;
using ArcBridgeDashboard.Web.Monitoring.Status;

namespace ArcBridgeDashboard.Web.Agents;

/// <summary>
/// Which source roles have an online agent. A role that a required endpoint needs but no online agent covers is a
/// readiness gap: old results of an agent that went away must not keep the banner green.
/// </summary>
public sealed class RoleCoverage(AgentLiveness liveness)
{
    public IReadOnlyList<string> GapsFor(IEnumerable<Agent> agents, IEnumerable<Sources> neededRoles, DateTimeOffset now)
    {
        var online = agents.Where(a => liveness.IsOnline(a, now)).ToList();
        return [.. neededRoles.Distinct()
            .Where(role => !online.Any(a => (a.Role & role) != 0))
            .OrderBy(role => role)
            .Select(role => $"no agent covers {role.DisplayName()}")];
    }
}
