using ArcBridgeDashboard.Web.Configuration;
using ArcBridgeDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ArcBridgeDashboard.Web.Monitoring;

/// <summary>
/// Deletes raw results (and state changes, roll-ups, sweeps) older than ArcBridge:RetentionDays, in
/// bounded batches so the writer lock is never held long. Runs hourly, on the leader replica only.
/// </summary>
public sealed partial class RetentionService(IServiceScopeFactory scopes, Scale.ILeaderLease lease, IOptions<ArcBridgeOptions> options, TimeProvider time, ILogger<RetentionService> logger) : BackgroundService
{
    public const int BatchSize = 5000;
    private const int MaxBatchesPerRun = 2000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), time);
        do
        {
            if (!lease.IsLeader)
                continue;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var deleted = await PurgeAsync(scope.ServiceProvider.GetRequiredService<ArcBridgeDbContext>(), stoppingToken);
                if (deleted > 0)
                    LogPurged(deleted, options.Value.RetentionDays);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogPurgeFailed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <returns>How many raw results were deleted.</returns>
    public async Task<int> PurgeAsync(ArcBridgeDbContext db, CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - TimeSpan.FromDays(options.Value.RetentionDays);
        var total = 0;
        for (var batch = 0; batch < MaxBatchesPerRun; batch++)
        {
            // Oldest first via the StartedAt index; LIMIT keeps each transaction short.
            var ids = db.Results.Where(r => r.StartedAt < cutoff).OrderBy(r => r.StartedAt).Select(r => r.Id).Take(BatchSize);
            var deleted = await db.Results.Where(r => ids.Contains(r.Id)).ExecuteDeleteAsync(cancellationToken);
            total += deleted;
            if (deleted < BatchSize)
                break;
        }
        await db.StateChanges.Where(s => s.At < cutoff).ExecuteDeleteAsync(cancellationToken);
        await db.ChangeEvents.Where(c => c.At < cutoff).ExecuteDeleteAsync(cancellationToken);
        await db.Annotations.Where(a => a.At < cutoff).ExecuteDeleteAsync(cancellationToken);
        await db.CheckRuns.Where(r => r.StartedAt < cutoff).ExecuteDeleteAsync(cancellationToken);
        await db.HourlyRollups.Where(h => h.HourStart < cutoff).ExecuteDeleteAsync(cancellationToken);
        // Their results are gone already; a few hundred sweep rows per hour at most, so one statement is short.
        await db.Sweeps.Where(s => s.StartedAt < cutoff).ExecuteDeleteAsync(cancellationToken);
        return total;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention deleted {Count} results older than {Days} days")]
    private partial void LogPurged(int count, int days);

    [LoggerMessage(Level = LogLevel.Error, Message = "Retention purge failed")]
    private partial void LogPurgeFailed(Exception exception);
}
