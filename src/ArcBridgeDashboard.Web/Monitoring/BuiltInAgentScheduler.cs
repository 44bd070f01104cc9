using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Probes.Sweeps;
using ArcBridgeDashboard.Web.Agents;
using ArcBridgeDashboard.Web.Configuration;
using ArcBridgeDashboard.Web.Data;
using Microsoft.Extensions.Options;

namespace ArcBridgeDashboard.Web.Monitoring;

/// <summary>
/// The built-in agent's schedule, run like a remote agent's: its plan (the same <see cref="AgentPlanBuilder"/> output a
/// remote agent of its role gets) through the same <see cref="PlanSchedule"/>, every endpoint at its own interval,
/// the first pass shortly after startup. Only the leader replica runs it (<see cref="Scale.ILeaderLease"/>); the others
/// ask again every lease retry interval. Time comes from <see cref="TimeProvider"/> only, so tests drive it with a fake clock.
/// </summary>
public sealed partial class BuiltInAgentScheduler(
    IServiceScopeFactory scopes,
    CheckNowService coordinator,
    BuiltInAgentState state,
    Scale.ILeaderLease lease,
    IOptions<ArcBridgeOptions> options,
    TimeProvider time,
    ILogger<BuiltInAgentScheduler> logger) : BackgroundService
{
    private readonly PlanSchedule _schedule = new(intervalOverride: null, time);

    /// <summary>When the loop is asleep, until when (tests wait for this before moving the fake clock).</summary>
    internal DateTimeOffset? SleepingUntil { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        state.SchedulerStartedAt = time.GetUtcNow();
        if (!options.Value.BuiltInAgentEnabled)
        {
            LogDisabled();
            return;
        }
        var firstDue = time.GetUtcNow() + options.Value.FirstSweepDelay;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await TickAsync(firstDue, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A failed sweep is logged (and shows in /healthz as no recent sweep); the schedule goes on.
                LogTickFailed(ex);
            }
            var now = time.GetUtcNow();
            var sleep = lease.IsLeader ? _schedule.TimeToNext() : lease.RetryInterval;
            SleepingUntil = now + sleep;
            try
            {
                await Task.Delay(sleep, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            SleepingUntil = null;
        }
    }

    private async Task TickAsync(DateTimeOffset firstDue, CancellationToken stoppingToken)
    {
        // Another replica leads: it runs the schedule. Taking over later runs whatever is due at once.
        if (!lease.IsLeader)
            return;
        AgentPlan plan;
        await using (var scope = scopes.CreateAsyncScope())
            plan = await scope.ServiceProvider.GetRequiredService<AgentPlanBuilder>().BuildForBuiltInAsync(stoppingToken);
        state.Interval = _schedule.IntervalOf(plan);
        // Due times move on even when the sweep fails, so a broken engine is retried at the interval, not in a loop.
        var due = _schedule.TakeDue(plan, firstDue);
        if (due.Count == 0)
            return;
        var endpoints = due.Select(t => t.EndpointKey).ToHashSet(StringComparer.Ordinal);
        var all = plan.Targets.All(t => endpoints.Contains(t.EndpointKey));
        await coordinator.StartOrJoin(SweepTrigger.Schedule, all ? null : endpoints).WaitAsync(stoppingToken);
        state.LastScheduledSweepAt = time.GetUtcNow();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The built-in agent is disabled (ArcBridge:BuiltInAgentEnabled=false)")]
    private partial void LogDisabled();

    [LoggerMessage(Level = LogLevel.Error, Message = "A scheduled sweep of the built-in agent failed")]
    private partial void LogTickFailed(Exception exception);
}

/// <summary>What /healthz needs to know about the built-in agent's schedule.</summary>
public sealed class BuiltInAgentState
{
    public DateTimeOffset? SchedulerStartedAt { get; set; }
    public DateTimeOffset? LastScheduledSweepAt { get; set; }
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);
}
