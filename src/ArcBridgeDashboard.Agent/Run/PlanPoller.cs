using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ArcBridgeDashboard.Agent.Run;

/// <summary>
/// Re-reads the plan every <see cref="RunOptions.PlanRefresh"/> with If-None-Match, so changes arrive within a
/// minute at the cost of a 304 otherwise. When the live connection is down it also polls for check-now requests.
/// </summary>
public sealed partial class PlanPoller(
    DashboardClient client,
    PlanStore plans,
    CheckNowSignal checkNow,
    LiveState live,
    RunOptions options,
    RejectionState rejection,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<PlanPoller> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var nextPlan = time.GetUtcNow();
        var firstCommands = true;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (time.GetUtcNow() >= nextPlan)
                {
                    await RefreshPlanAsync(stoppingToken);
                    nextPlan = time.GetUtcNow() + options.PlanRefresh;
                }
                if (!live.Connected)
                {
                    var commands = await client.GetCommandsAsync(stoppingToken);
                    // The first answer after a start is a baseline: an old request must not trigger a sweep now.
                    if (firstCommands)
                        checkNow.Baseline(commands.CheckNowSequence);
                    else if (checkNow.Request(commands.CheckNowSequence))
                        LogPolledCheckNow(commands.CheckNowSequence);
                    firstCommands = false;
                }
            }
            catch (AgentRejectedException ex)
            {
                rejection.Reason = ex.Message;
                lifetime.StopApplication();
                return;
            }
            // IOException and JsonException: a dashboard killed mid-answer cuts the body short ("response ended prematurely").
            catch (Exception ex) when (ex is HttpRequestException or IOException or System.Text.Json.JsonException or TaskCanceledException or TimeoutException or Polly.Timeout.TimeoutRejectedException or Polly.CircuitBreaker.BrokenCircuitException && !stoppingToken.IsCancellationRequested)
            {
                LogPollFailed(ex.Message);
            }
            // Live, commands are pushed, so only the plan (and a lost connection) needs waking for; offline, commands
            // are polled every PollSeconds (up to 300 s). Either way the sleep ends when the plan is due (<= 60 s).
            var pollSeconds = Math.Clamp(plans.Plan?.PollSeconds ?? 10, 1, 300);
            var poll = TimeSpan.FromSeconds(live.Connected ? 3 * pollSeconds : pollSeconds);
            var untilPlan = nextPlan - time.GetUtcNow();
            var sleep = TimeSpan.FromTicks(Math.Clamp(untilPlan.Ticks, 0, poll.Ticks));
            if (live.Connected)
            {
                // A dropped live connection ends the long sleep, so a check now issued meanwhile is polled within one poll interval.
                var lost = live.WhenLost;
                await Task.WhenAny(Task.Delay(sleep, time, stoppingToken), lost);
                stoppingToken.ThrowIfCancellationRequested();
            }
            else
            {
                await Task.Delay(sleep, time, stoppingToken);
            }
        }
    }

    private async Task RefreshPlanAsync(CancellationToken stoppingToken)
    {
        var fetched = await client.GetPlanAsync(plans.ETag, stoppingToken);
        if (fetched is not { } changed)
            return;
        plans.Update(changed.Plan, changed.ETag);
        LogPlanChanged(changed.Plan.Version, changed.Plan.Targets.Count, changed.Plan.IntervalSeconds);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Plan {PlanVersion}: {TargetCount} targets every {IntervalSeconds} s")]
    private partial void LogPlanChanged(string planVersion, int targetCount, int intervalSeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Check now {Sequence} picked up by polling")]
    private partial void LogPolledCheckNow(long sequence);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot reach the dashboard ({Error}); sweeping on with the last plan")]
    private partial void LogPollFailed(string error);
}

/// <summary>Whether the SignalR connection is up (then pushes replace polling).</summary>
public sealed class LiveState
{
    private readonly Lock _gate = new();
    private bool _connected;
    private TaskCompletionSource _lost = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool Connected
    {
        get { lock (_gate) return _connected; }
        set
        {
            lock (_gate)
            {
                if (_connected && !value)
                {
                    _lost.TrySetResult();
                    _lost = new(TaskCreationOptions.RunContinuationsAsynchronously);
                }
                _connected = value;
            }
        }
    }

    /// <summary>Completes when the current live connection is lost.</summary>
    public Task WhenLost
    {
        get { lock (_gate) return _lost.Task; }
    }
}
