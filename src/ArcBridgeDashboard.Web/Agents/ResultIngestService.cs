using ArcBridgeDashboard.Probes.Http;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Data;
using ArcBridgeDashboard.Web.Monitoring;
using Microsoft.EntityFrameworkCore;

namespace ArcBridgeDashboard.Web.Agents;

/// <summary>
/// Stores a validated batch in one transaction: new results are inserted (with their latest/roll-up rows), ids
/// already stored count as acknowledged, results for targets the server does not know are rejected for good.
/// The ack is built only after the commit, so an agent never deletes a result the server could still lose.
/// </summary>
public sealed partial class ResultIngestService(
    ArcBridgeDbContext db,
    IngestGate gate,
    LiveStatusNotifier notifier,
    TimeProvider time,
    ILogger<ResultIngestService> logger)
{
    /// <summary>Below this, an offset is network latency, not a wrong clock: timestamps are kept as sent.</summary>
    private static readonly TimeSpan CorrectionThreshold = TimeSpan.FromSeconds(2);

    public async Task<BatchAck> IngestAsync(int agentId, ResultBatch batch, DateTimeOffset? agentClock, string? address, CancellationToken cancellationToken)
    {
        var receivedAt = time.GetUtcNow();
        // Agent clock minus server clock (the Agent entity's convention). Results are moved onto the server's
        // clock when it is off, so a wildly wrong agent clock still gives usable times in the matrix and history.
        var offset = agentClock is { } sent ? sent - receivedAt : (TimeSpan?)null;
        var shift = offset is { } o && o.Duration() >= CorrectionThreshold ? o : TimeSpan.Zero;

        var acked = new List<Guid>(batch.Results.Count);
        var rejected = new List<RejectedResult>();
        var stored = new List<(int TargetId, ProbeResult Result)>();
        await gate.Lock.WaitAsync(cancellationToken);
        try
        {
            var targets = await LoadTargetsAsync(batch, cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var ids = batch.Results.Select(r => r.Id).ToList();
            var existing = (await db.Results.Where(r => ids.Contains(r.ResultId)).Select(r => r.ResultId).ToListAsync(cancellationToken)).ToHashSet();
            foreach (var result in batch.Results)
            {
                if (existing.Contains(result.Id))
                {
                    acked.Add(result.Id);
                    continue;
                }
                if (!targets.TryGetValue((result.EndpointKey, result.TargetKey), out var targetId))
                {
                    rejected.Add(new RejectedResult(result.Id, $"Unknown target {result.TargetKey} of endpoint {result.EndpointKey}."));
                    continue;
                }
                var onServerClock = shift == TimeSpan.Zero ? result : result with { StartedAt = result.StartedAt - shift };
                acked.Add(result.Id);
                stored.Add((targetId, onServerClock));
            }
            await BatchResultWriter.WriteAsync(db, agentId, [.. stored.Select(s => new BatchResultWriter.Item(s.TargetId, s.Result))], cancellationToken);
            double? offsetMs = offset?.TotalMilliseconds;
            double? serverClockMs = HttpClock.Median(batch.Results)?.OffsetMs;
            var depthAfter = Math.Max(0, batch.OutboxDepth - acked.Count - rejected.Count);
            await db.Agents.Where(a => a.Id == agentId).ExecuteUpdateAsync(s => s
                .SetProperty(a => a.LastSeenAt, receivedAt)
                .SetProperty(a => a.ClockOffsetMs, a => offsetMs ?? a.ClockOffsetMs)
                .SetProperty(a => a.ServerClockOffsetMs, a => serverClockMs ?? a.ServerClockOffsetMs)
                .SetProperty(a => a.OutboxDepth, depthAfter)
                .SetProperty(a => a.Address, a => address ?? a.Address), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        finally
        {
            gate.Lock.Release();
            db.ChangeTracker.Clear();
        }
        LogIngested(agentId, stored.Count, acked.Count - stored.Count, rejected.Count);
        foreach (var (targetId, result) in stored)
            notifier.NotifyResultArrived(new ResultArrivedEvent(0, agentId, targetId, result));
        return new BatchAck { Acked = acked, Rejected = rejected, ClockOffsetMs = offset?.TotalMilliseconds ?? 0 };
    }

    /// <summary>(endpoint key, target key) → target id; active targets win over retired ones with the same keys.</summary>
    private async Task<Dictionary<(string, string), int>> LoadTargetsAsync(ResultBatch batch, CancellationToken cancellationToken)
    {
        var keys = batch.Results.Select(r => r.TargetKey).Distinct().ToList();
        var rows = await db.Targets.AsNoTracking()
            .Where(t => keys.Contains(t.Key))
            .Select(t => new { t.Id, t.Key, EndpointKey = t.Endpoint!.Key, t.RetiredAt, Active = t.Endpoint.CatalogVersion!.IsActive })
            .ToListAsync(cancellationToken);
        return rows
            .OrderByDescending(t => t.RetiredAt == null && t.Active).ThenByDescending(t => t.Id)
            .GroupBy(t => (t.EndpointKey, t.Key))
            .ToDictionary(g => g.Key, g => g.First().Id);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {AgentId} batch: {Stored} stored, {Duplicates} already stored, {Rejected} rejected")]
    private partial void LogIngested(int agentId, int stored, int duplicates, int rejected);
}

/// <summary>One ingest transaction at a time: SQLite has one writer, and queueing here beats busy-retrying there.</summary>
public sealed class IngestGate
{
    public SemaphoreSlim Lock { get; } = new(1, 1);
}
