using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Probes.Sweeps;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ArcBridgeDashboard.Agent.Run;

/// <summary>
/// Sweeps the plan's targets on the agent's own schedule, server or no server, and puts every result in the
/// outbox as it arrives. Each endpoint is probed on its own interval (<see cref="PlanSchedule"/>, the built-in agent's scheduler too); a check-now
/// request sweeps everything at once and restarts every interval from there. A new plan wakes it at once, so new
/// intervals and targets apply as soon as the plan arrives, not after the current sleep.
/// </summary>
public sealed partial class SweepScheduler(
    PlanStore plans,
    SweepRunner runner,
    Outbox outbox,
    OutboxSignal outboxSignal,
    CheckNowSignal checkNow,
    PlanSchedule schedule,
    IdleMemory idleMemory,
    RunOptions options,
    TimeProvider time,
    ILogger<SweepScheduler> logger) : BackgroundService
{
    private TaskCompletionSource _planChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        plans.Changed += OnPlanChanged;
        try
        {
            await RunScheduleAsync(stoppingToken);
        }
        finally
        {
            plans.Changed -= OnPlanChanged;
        }
    }

    private async Task RunScheduleAsync(CancellationToken stoppingToken)
    {
        await plans.WhenAvailableAsync(stoppingToken);
        idleMemory.StartupFinished();
        var trigger = "start";
        while (!stoppingToken.IsCancellationRequested)
        {
            // Armed before the plan is read: a plan arriving from here on ends the next wait.
            var armed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _planChanged, armed);
            var plan = plans.Plan!;
            if (trigger == "check-now")
            {
                schedule.RestartAll(plan);
                await SweepAsync(plan, plan.Targets, trigger, stoppingToken);
            }
            else if (schedule.TakeDue(plan) is { Count: > 0 } due)
            {
                await SweepAsync(plan, due, trigger, stoppingToken);
            }
            trigger = await WaitForNextAsync(schedule.TimeToNext(), armed.Task, stoppingToken);
        }
    }

    private void OnPlanChanged(AgentPlan plan) => Volatile.Read(ref _planChanged).TrySetResult();

    private async Task SweepAsync(AgentPlan plan, IReadOnlyList<ProbeTarget> targets, string trigger, CancellationToken stoppingToken)
    {
        idleMemory.SweepStarted();
        var started = time.GetTimestamp();
        var count = 0;
        LogSweepStarted(trigger, targets.Count, plan.Version);
        try
        {
            var settings = PlanSettings.ToProbeSettings(plan, options);
            var pass = new SweepPass
            {
                Id = Guid.NewGuid(), Trigger = trigger == "check-now" ? SweepPass.Manual : SweepPass.Schedule,
                StartedAt = time.GetUtcNow(), TargetCount = targets.Count,
            };
            // Small groups keep the outbox writes cheap while results still reach the server promptly.
            await foreach (var group in PassGroups.StampAsync(runner.RunAsync(targets, settings, stoppingToken), pass, 8))
            {
                await outbox.AddAsync(group, stoppingToken);
                outboxSignal.Notify();
                count += group.Count;
            }
            LogSweepFinished(count, time.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            // A broken sweep (bad settings in the plan) must not stop the schedule.
            LogSweepFailed(ex, count);
        }
        idleMemory.SweepFinished();
    }

    private async Task<string> WaitForNextAsync(TimeSpan interval, Task planChange, CancellationToken stoppingToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var delay = Task.Delay(interval, time, cts.Token);
        var request = checkNow.WaitAsync(cts.Token).AsTask();
        var first = await Task.WhenAny(delay, request, planChange);
        await cts.CancelAsync();
        stoppingToken.ThrowIfCancellationRequested();
        // Also when the delay or a new plan came first: a request read just before the cancel must not be lost.
        if (request.IsCompletedSuccessfully)
        {
            LogCheckNow(request.Result);
            return "check-now";
        }
        return first == planChange ? "plan" : "schedule";
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep started ({Trigger}) over {TargetCount} targets, plan {PlanVersion}")]
    private partial void LogSweepStarted(string trigger, int targetCount, string planVersion);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep finished: {Count} results in {ElapsedMs:F0} ms")]
    private partial void LogSweepFinished(int count, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Sweep failed after {Count} results")]
    private partial void LogSweepFailed(Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Check now {Sequence} received")]
    private partial void LogCheckNow(long sequence);
}

/// <summary>Wakes the pusher when new results are in the outbox.</summary>
public sealed class OutboxSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // already signalled
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}
