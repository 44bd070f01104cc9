using Microsoft.Extensions.Options;

namespace ArcBridgeDashboard.Web.Reports;

/// <summary>
/// The weekly report: sleeps on <see cref="TimeProvider"/> until the configured day and time (UTC), generates a
/// snapshot as "scheduler", renders its PDF and hands both to <see cref="IReportDelivery"/>. A failure is logged and
/// the next week still comes. With several replicas only the leader sends it.
/// </summary>
public sealed partial class ReportScheduler(
    IServiceScopeFactory scopes, IReportDelivery delivery, Scale.ILeaderLease lease, IOptions<ReportScheduleOptions> options, TimeProvider time,
    ILogger<ReportScheduler> logger) : BackgroundService
{
    /// <summary>When the loop is asleep, until when (tests wait for this before moving the fake clock).</summary>
    internal DateTimeOffset? SleepingUntil { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
            return;
        while (!stoppingToken.IsCancellationRequested)
        {
            var due = options.Value.NextAfter(time.GetUtcNow());
            LogNext(due);
            SleepingUntil = due;
            try
            {
                // Task.Delay on the TimeProvider: long waits are fine, and a fake clock drives it in tests.
                await Task.Delay(due - time.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            SleepingUntil = null;
            if (!lease.IsLeader)
            {
                LogNotLeader(due);
                continue;
            }
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(ex);
            }
        }
    }

    internal async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        StoredReport stored;
        await using (var scope = scopes.CreateAsyncScope())
            stored = await scope.ServiceProvider.GetRequiredService<ReportSnapshots>().GenerateAsync(ReportSnapshots.SchedulerAuthor, cancellationToken);
        var pdf = ReportPdf.Render(stored.Report, stored.Id);
        await delivery.DeliverAsync(stored, pdf, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Next scheduled readiness report at {Due}")]
    private partial void LogNext(DateTimeOffset due);

    [LoggerMessage(Level = LogLevel.Information, Message = "The readiness report due at {Due} is left to the leader replica")]
    private partial void LogNotLeader(DateTimeOffset due);

    [LoggerMessage(Level = LogLevel.Error, Message = "The scheduled readiness report failed")]
    private partial void LogFailed(Exception exception);
}
