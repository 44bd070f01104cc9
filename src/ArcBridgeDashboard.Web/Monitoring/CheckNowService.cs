using ArcBridgeDashboard.Web.Data;

namespace ArcBridgeDashboard.Web.Monitoring;

/// <summary>
/// One built-in sweep at a time. "Check now" returns at once with the running sweep's task; a second press (or a
/// scheduled tick) while a sweep runs joins that sweep instead of starting another.
/// </summary>
public sealed partial class CheckNowService(IServiceScopeFactory scopes, IHostApplicationLifetime lifetime, ILogger<CheckNowService> logger)
{
    private readonly Lock _gate = new();
    private Task<SweepSummary>? _running;
    private bool _runningCoversAll;

    public bool IsRunning
    {
        get { lock (_gate) return _running is { IsCompleted: false }; }
    }

    /// <summary>Starts a manual sweep, or returns the one already running. Does not wait for it.</summary>
    public Task<SweepSummary> CheckNow() => StartOrJoin(SweepTrigger.Manual, null);

    internal Task<SweepSummary> StartOrJoin(SweepTrigger trigger, IReadOnlySet<string>? endpointKeys)
    {
        lock (_gate)
        {
            if (_running is { IsCompleted: false } current)
            {
                if (_runningCoversAll || endpointKeys is not null)
                    return current;
                // A full sweep was asked for while a partial (per-endpoint) one runs: queue one full sweep after it.
                _running = Task.Run(() => RunAfterAsync(current, trigger), CancellationToken.None);
                _runningCoversAll = true;
                return _running;
            }
            // Task.Run: the caller (a Blazor event handler) gets control back before the first probe starts.
            _running = Task.Run(() => RunAsync(trigger, endpointKeys), CancellationToken.None);
            _runningCoversAll = endpointKeys is null;
            return _running;
        }
    }

    private async Task<SweepSummary> RunAfterAsync(Task previous, SweepTrigger trigger)
    {
        try
        {
            await previous;
        }
        catch (Exception)
        {
            // the previous sweep logged its own failure; ours still runs
        }
        return await RunAsync(trigger, null);
    }

    private async Task<SweepSummary> RunAsync(SweepTrigger trigger, IReadOnlySet<string>? endpointKeys)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var sweeps = scope.ServiceProvider.GetRequiredService<SweepService>();
            return await sweeps.RunSweepAsync(trigger, endpointKeys, lifetime.ApplicationStopping);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogSweepFailed(ex, trigger);
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A {Trigger} sweep failed")]
    private partial void LogSweepFailed(Exception exception, SweepTrigger trigger);
}
