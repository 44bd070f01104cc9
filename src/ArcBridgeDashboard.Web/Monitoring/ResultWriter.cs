using System.Text.Json;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace ArcBridgeDashboard.Web.Monitoring;

/// <summary>
/// Stores one probe result and keeps the derived tables in step (latest per agent × target, hourly roll-up,
/// state changes) in the same SaveChanges. Idempotent on <see cref="ProbeResult.Id"/>: a repeat is ignored.
/// </summary>
public static class ResultWriter
{
    /// <returns>False when a result with the same id was already stored (nothing written).</returns>
    public static async Task<bool> WriteAsync(ArcBridgeDbContext db, int agentId, long? sweepId, int targetId, ProbeResult result, CancellationToken cancellationToken)
    {
        if (await db.Results.AnyAsync(r => r.ResultId == result.Id, cancellationToken))
            return false;
        // The result row and its derived rows commit together, or not at all.
        var ownTransaction = db.Database.CurrentTransaction is null
            ? await db.Database.BeginTransactionAsync(cancellationToken)
            : null;
        try
        {
            var row = ToRow(agentId, sweepId, targetId, result);
            db.Results.Add(row);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException ex) when (ex.InnerException is SqliteException { SqliteErrorCode: 19 } && IsDuplicate(ex))
            {
                // A concurrent writer stored the same id between our check and insert.
                db.Entry(row).State = EntityState.Detached;
                return false;
            }
            UpdateLatest(db, await db.LatestResults.FindAsync([agentId, targetId], cancellationToken), row);
            await UpdateRollupAsync(db, row, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            if (ownTransaction is not null)
                await ownTransaction.CommitAsync(cancellationToken);
            return true;
        }
        finally
        {
            if (ownTransaction is not null)
                await ownTransaction.DisposeAsync();
        }
    }

    private static void UpdateLatest(ArcBridgeDbContext db, LatestResult? latest, Result row)
    {
        if (latest is not null && latest.StartedAt > row.StartedAt)
            return; // a late, older result never replaces a newer one
        if (latest is null || latest.Verdict != row.Verdict)
        {
            db.StateChanges.Add(new StateChange
            {
                AgentId = row.AgentId, TargetId = row.TargetId, At = row.StartedAt, From = latest?.Verdict, To = row.Verdict,
                Phase = row.Phase, Reason = row.Reason, Message = row.Message,
            });
        }
        if (latest is null)
        {
            latest = new LatestResult { AgentId = row.AgentId, TargetId = row.TargetId, StateSince = row.StartedAt };
            db.LatestResults.Add(latest);
        }
        else if (latest.Verdict != row.Verdict)
            latest.StateSince = row.StartedAt;
        latest.ResultRowId = row.Id;
        latest.StartedAt = row.StartedAt;
        latest.Verdict = row.Verdict;
        latest.Phase = row.Phase;
        latest.Reason = row.Reason;
        latest.Message = row.Message;
        latest.Remedy = row.Remedy;
        latest.TotalMs = row.TotalMs;
    }

    private static async Task UpdateRollupAsync(ArcBridgeDbContext db, Result row, CancellationToken cancellationToken)
    {
        var hourStart = DateTimeOffset.FromUnixTimeMilliseconds(row.StartedAt.ToUnixTimeMilliseconds() / 3_600_000 * 3_600_000);
        var hour = await db.HourlyRollups.FindAsync([row.TargetId, row.AgentId, hourStart], cancellationToken);
        if (hour is null)
        {
            hour = new HourlyRollup { TargetId = row.TargetId, AgentId = row.AgentId, HourStart = hourStart };
            db.HourlyRollups.Add(hour);
        }
        hour.Count++;
        switch (row.Verdict)
        {
            case Verdict.Pass: hour.PassCount++; break;
            case Verdict.Warn: hour.WarnCount++; break;
            default: hour.FailCount++; break;
        }
        hour.SumTotalMs += row.TotalMs;
        hour.MaxTotalMs = Math.Max(hour.MaxTotalMs, row.TotalMs);
    }

    public static Result ToRow(int agentId, long? sweepId, int targetId, ProbeResult r) => new()
    {
        ResultId = r.Id, SweepId = sweepId, AgentId = agentId, TargetId = targetId, StartedAt = r.StartedAt,
        Verdict = r.Verdict, Phase = r.Phase, Reason = r.Reason, Message = r.Message, Remedy = r.Remedy,
        TotalMs = r.TimingsMs.TryGetValue("total", out var total) ? total : r.TimingsMs.Values.Sum(),
        TimingsJson = JsonSerializer.Serialize(r.TimingsMs, ProbeJson.Options),
        DetailsJson = JsonSerializer.Serialize(r.Details, ProbeJson.Options),
    };

    private static bool IsDuplicate(DbUpdateException ex) => ex.InnerException!.Message.Contains("Results.ResultId", StringComparison.Ordinal);
}
