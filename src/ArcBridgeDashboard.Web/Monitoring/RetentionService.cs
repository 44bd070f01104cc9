using ArcBridgeDashboard.Web.Configuration;
using ArcBridgeDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ArcBridgeDashboard.Web.Monitoring;

/// <summary>
/// Keeps each tier of history for its period (ArcBridge:Retention): raw results and their sweeps
/// <see cref="RetentionOptions.RawDays"/>, hourly roll-ups <see cref="RetentionOptions.HourlyDays"/>, state changes,
/// confirmed changes, annotations and check runs <see cref="RetentionOptions.ChangeDays"/>; daily roll-ups are never
/// deleted. Raw rows go in bounded batches so the writer lock is never held long. Runs hourly, on the leader replica only.
/// </summary>
public sealed partial class RetentionService(IServiceScopeFactory scopes, Scale.ILeaderLease lease, IOptions<ArcBridgeOptions> options, TimeProvider time, ILogger<RetentionService> logger) : BackgroundService
{
    public const int BatchSize = 5000;
    private const int MaxBatchesPerRun = 2000;

    /// <summary>What one run deleted, per tier.</summary>
    public sealed record Purged(int Results, int Sweeps, int HourlyRollups, int Changes);

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
                var purged = await PurgeAsync(scope.ServiceProvider.GetRequiredService<ArcBridgeDbContext>(), stoppingToken);
                if (purged != new Purged(0, 0, 0, 0))
                    LogPurged(purged.Results, options.Value.Retention.RawDays, purged.HourlyRollups, options.Value.Retention.HourlyDays, purged.Changes, options.Value.Retention.ChangeDays);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogPurgeFailed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task<Purged> PurgeAsync(ArcBridgeDbContext db, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var retention = options.Value.Retention;
        var (results, sweeps) = await PurgeRawAsync(db, now - TimeSpan.FromDays(retention.RawDays), cancellationToken);
        var hourly = await PurgeHourlyAsync(db, now - TimeSpan.FromDays(retention.HourlyDays), cancellationToken);
        var changeCutoff = now - TimeSpan.FromDays(retention.ChangeDays);
        var changes = await db.StateChanges.Where(s => s.At < changeCutoff).ExecuteDeleteAsync(cancellationToken)
            + await db.ChangeEvents.Where(c => c.At < changeCutoff).ExecuteDeleteAsync(cancellationToken)
            + await db.Annotations.Where(a => a.At < changeCutoff).ExecuteDeleteAsync(cancellationToken)
            + await db.CheckRuns.Where(r => r.StartedAt < changeCutoff).ExecuteDeleteAsync(cancellationToken);
        // DailyRollups: kept for ever (one row per agent × target × day).
        return new Purged(results, sweeps, hourly, changes);
    }

    /// <summary>
    /// Raw results and sweeps started before <paramref name="cutoff"/>: the one place that removes raw history, so a
    /// store with day partitions (PostgreSQL) can replace it with dropping the partitions wholly before the cutoff.
    /// </summary>
    public async Task<(int Results, int Sweeps)> PurgeRawAsync(ArcBridgeDbContext db, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
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
        // Their results are gone already; a few hundred sweep rows per hour at most, so one statement is short.
        var sweeps = await db.Sweeps.Where(s => s.StartedAt < cutoff).ExecuteDeleteAsync(cancellationToken);
        return (total, sweeps);
    }

    /// <summary>
    /// Hourly roll-ups of hours before <paramref name="cutoff"/>, oldest hour first by the HourStart index: one statement per
    /// hour (agents × targets rows), and a run every hour normally finds one. Their days stay in DailyRollups.
    /// </summary>
    private static async Task<int> PurgeHourlyAsync(ArcBridgeDbContext db, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var total = 0;
        for (var batch = 0; batch < MaxBatchesPerRun; batch++)
        {
            var oldest = await db.HourlyRollups.Where(h => h.HourStart < cutoff).OrderBy(h => h.HourStart).Select(h => (DateTimeOffset?)h.HourStart)
                .FirstOrDefaultAsync(cancellationToken);
            if (oldest is not { } hour)
                break;
            var end = hour.AddHours(1) < cutoff ? hour.AddHours(1) : cutoff;
            total += await db.HourlyRollups.Where(h => h.HourStart < end).ExecuteDeleteAsync(cancellationToken);
        }
        return total;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention deleted {Results} results older than {RawDays} days, {Hours} hourly roll-ups older than {HourlyDays} days and {Changes} changes, annotations and check runs older than {ChangeDays} days")]
    private partial void LogPurged(int results, int rawDays, int hours, int hourlyDays, int changes, int changeDays);

    [LoggerMessage(Level = LogLevel.Error, Message = "Retention purge failed")]
    private partial void LogPurgeFailed(Exception exception);
}
