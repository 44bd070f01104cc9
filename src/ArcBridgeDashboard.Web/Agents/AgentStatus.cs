using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Data;
using ArcBridgeDashboard.Web.Monitoring.Status;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ArcBridgeDashboard.Web.Agents;

/// <summary>One row of the Agents page.</summary>
/// <param name="ClockOffsetMs">Agent clock minus the dashboard's.</param>
/// <param name="AzureClockOffsetMs">Agent clock minus Azure's, from HTTPS servers' Date headers (known where NTP is blocked).</param>
/// <param name="LastSweepAt">When its latest sweep started: for the built-in agent, which is never "seen" (it runs in
/// this process), the sign of life an operator looks for.</param>
public sealed record AgentRow(
    int Id, string Name, Sources Role, bool IsBuiltIn, string? Version, string? Os, string? Address,
    DateTimeOffset? LastSeenAt, double? ClockOffsetMs, int? OutboxDepth, AgentState State, bool Connected, bool ClockWarning,
    double? AzureClockOffsetMs = null, DateTimeOffset? LastSweepAt = null);

/// <summary>Agents with their status (<see cref="AgentLiveness"/>).</summary>
public sealed class AgentStatusQuery(
    IDbContextFactory<ArcBridgeDbContext> dbFactory,
    AgentPresence presence,
    AgentLiveness liveness,
    IOptions<AgentOptions> options,
    TimeProvider time)
{
    public async Task<IReadOnlyList<AgentRow>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var agents = await db.Agents.AsNoTracking().OrderBy(a => a.IsBuiltIn ? 0 : 1).ThenBy(a => a.Name).ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        var builtInSweep = await db.Sweeps.AsNoTracking().Where(s => s.AgentId == Agent.BuiltInId)
            .OrderByDescending(s => s.StartedAt).Select(s => (DateTimeOffset?)s.StartedAt).FirstOrDefaultAsync(cancellationToken);
        return [.. agents.Select(a => ToRow(a, now) with { LastSweepAt = a.IsBuiltIn ? builtInSweep : null })];
    }

    private AgentRow ToRow(Agent a, DateTimeOffset now) => new(
        a.Id, a.Name, a.Role, a.IsBuiltIn, a.Version, a.Os, a.Address, a.LastSeenAt, a.ClockOffsetMs, a.OutboxDepth,
        liveness.StateOf(a, now), presence.IsConnected(a.Id),
        a.ClockOffsetMs is { } offset && Math.Abs(offset) > options.Value.ClockOffsetWarning.TotalMilliseconds,
        -a.ServerClockOffsetMs);
}
