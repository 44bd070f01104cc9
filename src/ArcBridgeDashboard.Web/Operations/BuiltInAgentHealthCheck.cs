using ArcBridgeDashboard.Web.Configuration;
using ArcBridgeDashboard.Web.Data;
using ArcBridgeDashboard.Web.Monitoring;
using ArcBridgeDashboard.Web.Monitoring.Status;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace ArcBridgeDashboard.Web.Operations;

/// <summary>
/// Unhealthy when the built-in agent has finished no sweep within the staleness window (<see cref="CheckStatus.StaleAfter"/>),
/// once the startup grace (first-sweep delay + that window) is over.
/// </summary>
public sealed class BuiltInAgentHealthCheck(
    IDbContextFactory<ArcBridgeDbContext> contexts, BuiltInAgentState state, IOptions<ArcBridgeOptions> options, TimeProvider time) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!options.Value.BuiltInAgentEnabled)
            return HealthCheckResult.Healthy("The built-in agent is disabled.");
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var last = await db.Sweeps.AsNoTracking()
            .Where(s => s.AgentId == Agent.BuiltInId && s.FinishedAt != null && s.Error == null)
            .OrderByDescending(s => s.StartedAt).Select(s => s.FinishedAt).FirstOrDefaultAsync(cancellationToken);
        return Evaluate(time.GetUtcNow(), state.SchedulerStartedAt, last, state.Interval, options.Value.FirstSweepDelay);
    }

    public static HealthCheckResult Evaluate(DateTimeOffset now, DateTimeOffset? startedAt, DateTimeOffset? lastSweep, TimeSpan interval, TimeSpan firstDelay)
    {
        var allowed = CheckStatus.StaleAfter(interval);
        if (lastSweep is { } last && now - last <= allowed)
            return HealthCheckResult.Healthy($"Last sweep finished at {last:O}.");
        if (now - (startedAt ?? now) <= firstDelay + allowed)
            return HealthCheckResult.Healthy("Waiting for the first sweep after startup.");
        return HealthCheckResult.Unhealthy(lastSweep is { } l
            ? $"No sweep of the built-in agent since {l:O} (more than {CheckStatus.StaleAfterIntervals} intervals of {interval})."
            : $"The built-in agent has not finished a sweep since startup at {startedAt:O}.");
    }
}
