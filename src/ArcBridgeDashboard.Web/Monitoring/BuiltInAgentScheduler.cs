using ArcBridgeDashboard.Probes.Sweeps;
using ArcBridgeDashboard.Web.Configuration;
using ArcBridgeDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ArcBridgeDashboard.Web.Monitoring;

/// <summary>
/// Probes the catalog from the dashboard's own machine on a schedule: every endpoint at its own interval
/// (per-endpoint override, else the global interval from Settings), first sweep shortly after startup.
/// Time comes from <see cref="TimeProvider"/> only, so tests drive it with a fake clock.
/// </summary>
public sealed partial class BuiltInAgentScheduler(
    IServiceScopeFactory scopes,
    CheckNowService coordinator,
    BuiltInAgentState state,
    IOptions<ArcBridgeOptions> options,
    TimeProvider time,
    ILogger<BuiltInAgentScheduler> logger) : BackgroundService
{
    // Longest sleep: interval or catalog changes are picked up within this.
    private static readonly TimeSpan MaxSleep = TimeSpan.FromMinutes(1);

    private readonly DueSchedule<string> schedule = new();

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
            var sleep = schedule.SleepFrom(now, MaxSleep);
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
        var now = time.GetUtcNow();
        var (globalInterval, endpoints) = await LoadScheduleAsync(stoppingToken);
        var intervals = endpoints.ToDictionary(p => p.Key, p => p.Value is { } seconds ? TimeSpan.FromSeconds(seconds) : globalInterval);
        // Due times move on even when the sweep fails, so a broken engine is retried at the interval, not in a loop.
        var due = schedule.TakeDue(intervals, now, firstDue);
        if (due.Count == 0)
            return;
        var all = due.Count == endpoints.Count;
        await coordinator.StartOrJoin(SweepTrigger.Schedule, all ? null : due).WaitAsync(stoppingToken);
        state.LastScheduledSweepAt = time.GetUtcNow();
    }

    private async Task<(TimeSpan Global, Dictionary<string, int?> Endpoints)> LoadScheduleAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ArcBridgeDbContext>();
        var settings = await scope.ServiceProvider.GetRequiredService<DashboardSettingsStore>().GetAsync(cancellationToken);
        var role = await db.Agents.Where(a => a.Id == Agent.BuiltInId).Select(a => a.Role).SingleAsync(cancellationToken);
        var endpoints = await db.Endpoints.AsNoTracking()
            .Where(e => e.CatalogVersion!.IsActive && (e.Sources & role) != 0)
            .Select(e => new { e.Key, e.IntervalSeconds }).ToListAsync(cancellationToken);
        state.Interval = TimeSpan.FromMinutes(settings.IntervalMinutes);
        return (state.Interval, endpoints.DistinctBy(e => e.Key).ToDictionary(e => e.Key, e => e.IntervalSeconds));
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
