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
public sealed partial class RetentionService(IServiceScopeFactory scopes, Scale.ILeaderLease lease, IOptions<ArcBridgeOptions> options, TimeProvider time, ILogger<RetentionService> logger,
    Queries.CheckHourCache? checkHours = null) : BackgroundService
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
                var purged = await RunOnceAsync(scope.ServiceProvider.GetRequiredService<ArcBridgeDbContext>(), stoppingToken);
                // This replica's overviews stop showing purged hours at once; the others within CheckHourCache.MaxAge.
                if (purged.HourlyRollups > 0)
                    checkHours?.Clear();
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

    /// <summary>
    /// One hourly round: on PostgreSQL the day partitions of today and the next <see cref="ResultPartitions.DaysAhead"/>
    /// days are made ready first (a failure there is logged and does not stop the purge: the default partition takes
    /// results of a day without one), then every tier is purged.
    /// </summary>
    public async Task<Purged> RunOnceAsync(ArcBridgeDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            var created = await ResultPartitions.PrepareAsync(db, time.GetUtcNow(), cancellationToken);
            if (created.Count > 0)
                LogPartitionsCreated(string.Join(", ", created));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogPartitionsFailed(ex);
        }
        return await PurgeAsync(db, cancellationToken);
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
    /// <remarks>
    /// PostgreSQL: the day partitions wholly before the cutoff's UTC day are detached and dropped (no row is deleted one
    /// by one), and the cutoff becomes that midnight: a day's rows stay until the whole day is older than the window, and
    /// the sweeps go with them. Rows of such days in the default partition (days that had no partition) are deleted in
    /// batches as on SQLite. The roll-ups were written with the rows at ingest, so nothing has to be built first.
    /// </remarks>
    public async Task<(int Results, int Sweeps)> PurgeRawAsync(ArcBridgeDbContext db, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var total = 0;
        if (await ResultPartitions.IsPartitionedAsync(db, cancellationToken))
        {
            var day = ResultPartitions.DayOf(cutoff);
            total += await ResultPartitions.DropBeforeAsync(db, day, cancellationToken);
            cutoff = DateTimeOffset.FromUnixTimeMilliseconds(day);
        }
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the results day partitions {Partitions}")]
    private partial void LogPartitionsCreated(string partitions);

    [LoggerMessage(Level = LogLevel.Error, Message = "Preparing the results day partitions failed; results of a day without one go to the default partition")]
    private partial void LogPartitionsFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Retention purge failed")]
    private partial void LogPurgeFailed(Exception exception);
}
