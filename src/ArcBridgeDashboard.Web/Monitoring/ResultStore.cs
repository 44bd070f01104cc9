using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Probes.Http;
using ArcBridgeDashboard.Web.Configuration;
using ArcBridgeDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ArcBridgeDashboard.Web.Monitoring;

/// <summary>
/// The one way results enter the database, for the built-in agent and remote agents alike. One transaction per
/// batch: new results are inserted with their derived rows (<see cref="ResultRows"/>), ids already stored count as
/// acknowledged, results for targets the server does not know are rejected for good, and each result's pass becomes
/// (or extends) a sweep, completed when the pass's last result arrives. The ack is built only after the commit, so
/// an agent never deletes a result the server could still lose.
/// </summary>
public sealed partial class ResultStore(
    ArcBridgeDbContext db,
    IngestGate gate,
    LiveStatusNotifier notifier,
    IOptions<ArcBridgeOptions> options,
    TimeProvider time,
    ILogger<ResultStore> logger)
{
    /// <summary>Below this, an offset is network latency, not a wrong clock: timestamps are kept as sent.</summary>
    private static readonly TimeSpan CorrectionThreshold = TimeSpan.FromSeconds(2);

    /// <summary>How far ahead of the server's clock a (corrected) result may start: a far-future one would pin the latest state.</summary>
    public static readonly TimeSpan MaxAhead = TimeSpan.FromMinutes(5);

    /// <summary>Where the results came from: the sender's clock and address, and how many it still holds (remote agents only).</summary>
    /// <param name="Remote">A remote agent's batch: its times are checked against the dashboard's clock. The built-in agent's
    /// results come from this process (its probes run on the real clock even where tests fake the schedule's).</param>
    public sealed record Sender(DateTimeOffset? AgentClock = null, string? Address = null, int OutboxDepth = 0, bool Remote = false);

    /// <summary>The acknowledgement for the agent, how many results were new, and the sweeps this batch completed.</summary>
    /// <param name="Refused">Set when a remote agent's batch was refused whole (nothing stored): the first bad result and why.</param>
    public sealed record Outcome(BatchAck Ack, int Stored, IReadOnlyList<SweepSummary> Finished, string? Refused = null);

    public async Task<Outcome> StoreAsync(int agentId, IReadOnlyList<ProbeResult> results, Sender sender, CancellationToken cancellationToken)
    {
        var receivedAt = time.GetUtcNow();
        // Agent clock minus server clock (the Agent entity's convention). Results are moved onto the server's
        // clock when it is off, so a wildly wrong agent clock still gives usable times in the matrix and history.
        var offset = sender.AgentClock is { } sent ? sent - receivedAt : (TimeSpan?)null;
        var shift = offset is { } o && o.Duration() >= CorrectionThreshold ? o : TimeSpan.Zero;

        var acked = new List<Guid>(results.Count);
        var rejected = new List<RejectedResult>();
        var stored = new List<ResultRows.Item>();
        var started = new List<Sweep>();
        var finished = new List<long>();
        IReadOnlyList<long> confirmed = [];
        await gate.Lock.WaitAsync(cancellationToken);
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var targets = await LoadTargetsAsync(results, cancellationToken);
            var ids = results.Select(r => r.Id).ToList();
            if (db.Database.IsNpgsql())
                await ResultRows.LockAgentPostgreSqlAsync(db, agentId, cancellationToken);
            var existing = (await db.Results.Where(r => ids.Contains(r.ResultId)).Select(r => r.ResultId).ToListAsync(cancellationToken)).ToHashSet();
            if (sender.Remote && await RefusalAsync(agentId, results, existing, shift, receivedAt, cancellationToken) is { } refusal)
            {
                LogRefused(agentId, results.Count, refusal);
                return new Outcome(new BatchAck(), 0, [], refusal);
            }
            var sweeps = new Dictionary<Guid, Sweep>();
            foreach (var result in results)
            {
                if (existing.Contains(result.Id))
                {
                    acked.Add(result.Id);
                    continue;
                }
                var targetId = targets.TryGetValue((result.EndpointKey, result.TargetKey), out var known) ? known
                    : await LearnedRevocationTarget.AddAsync(db, result, cancellationToken);
                if (targetId is null)
                {
                    rejected.Add(new RejectedResult(result.Id, $"Unknown target {result.TargetKey} of endpoint {result.EndpointKey}."));
                    continue;
                }
                targets[(result.EndpointKey, result.TargetKey)] = targetId.Value;
                if (OnServerClock(result, shift, receivedAt, sender.Remote) is not { } startedAt)
                {
                    rejected.Add(new RejectedResult(result.Id,
                        $"startedAt {result.StartedAt:O} is outside what the dashboard keeps: from {options.Value.Retention.RawDays} days ago (ArcBridge:Retention:RawDays) to {MaxAhead.TotalMinutes:0} minutes ahead of its clock."));
                    continue;
                }
                var onServerClock = result with { StartedAt = startedAt };
                var sweep = onServerClock.Pass is { } pass ? await SweepOfAsync(agentId, pass, shift, sweeps, started, cancellationToken) : null;
                if (sweep is not null)
                    Count(sweep, onServerClock, finished);
                acked.Add(result.Id);
                stored.Add(new ResultRows.Item(targetId.Value, sweep?.Id, onServerClock));
            }
            await db.SaveChangesAsync(cancellationToken);
            stored = [.. await ResultRows.WriteAsync(db, agentId, stored, cancellationToken)];
            confirmed = await Changes.ChangeRows.ConfirmAsync(db, agentId, stored, options.Value.ConfirmAfterResults, cancellationToken);
            double? serverClockMs = results.Any(r => r.Pass is null) ? HttpClock.Median(results)?.OffsetMs : null;
            foreach (var sweepId in finished)
                serverClockMs = await SweepClockAsync(sweepId, cancellationToken) ?? serverClockMs;
            await UpdateAgentAsync(agentId, sender, offset, serverClockMs, receivedAt, acked.Count + rejected.Count, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        finally
        {
            gate.Lock.Release();
            db.ChangeTracker.Clear();
        }
        LogStored(agentId, stored.Count, acked.Count - stored.Count, rejected.Count);
        foreach (var sweep in started)
            notifier.NotifySweepStarted(new SweepStartedEvent(sweep.Id, agentId, sweep.Trigger, sweep.StartedAt, sweep.TargetCount));
        foreach (var item in stored)
            notifier.NotifyResultArrived(new ResultArrivedEvent(item.SweepId ?? 0, agentId, item.TargetId, item.Result));
        if (confirmed.Count > 0)
            await RaiseConfirmedAsync(confirmed, cancellationToken);
        var summaries = new List<SweepSummary>();
        foreach (var sweepId in finished)
            summaries.Add(await FinishAsync(sweepId, cancellationToken));
        var ack = new BatchAck { Acked = acked, Rejected = rejected, ClockOffsetMs = offset?.TotalMilliseconds ?? 0 };
        return new Outcome(ack, stored.Count, summaries);
    }

    /// <summary>
    /// A remote agent's batch is taken whole or not at all: every new result must be for a target of the agent's current
    /// plan (its role's active targets, or a revocation server named by a chain) and start within
    /// [now − ArcBridge:Retention:RawDays, now + 5 min] on the dashboard's clock. Results already stored (a re-sent batch) pass.
    /// </summary>
    private async Task<string?> RefusalAsync(int agentId, IReadOnlyList<ProbeResult> results, HashSet<Guid> existing, TimeSpan shift, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var role = await db.Agents.Where(a => a.Id == agentId).Select(a => a.Role).SingleAsync(cancellationToken);
        var keys = results.Select(r => r.TargetKey).Distinct().ToList();
        var inPlan = (await db.Targets.AsNoTracking()
            .Where(t => keys.Contains(t.Key) && t.RetiredAt == null && t.Endpoint!.CatalogVersion!.IsActive && (t.Sources & role) != 0)
            .Select(t => new { EndpointKey = t.Endpoint!.Key, t.Key })
            .ToListAsync(cancellationToken)).Select(t => (t.EndpointKey, t.Key)).ToHashSet();
        var chainInRole = await db.Endpoints.AnyAsync(e => e.Key == Probes.Revocation.RevocationPlan.ChainEndpointKey
            && e.CatalogVersion!.IsActive && (e.Sources & role) != 0, cancellationToken);
        for (var i = 0; i < results.Count; i++)
        {
            var result = results[i];
            if (existing.Contains(result.Id))
                continue;
            if (!inPlan.Contains((result.EndpointKey, result.TargetKey))
                && !(chainInRole && result.EndpointKey == Probes.Revocation.RevocationPlan.ChainEndpointKey))
                return $"results[{i}]: target {result.TargetKey} of endpoint {result.EndpointKey} is not in this agent's current plan for its role.";
            // Too old is rejected result by result in the store loop: an agent back after a long outage keeps the part of
            // its backlog still inside the raw window. Ahead of the clock (or unrepresentable) is an agent fault: refused whole.
            if (OnServerClock(result, shift, now, remote: true) is null && !OlderThanRaw(result, shift, now))
                return $"results[{i}].startedAt: {result.StartedAt:O} is outside what the dashboard keeps: from {options.Value.Retention.RawDays} days ago (ArcBridge:Retention:RawDays) to {MaxAhead.TotalMinutes:0} minutes ahead of its clock.";
        }
        return null;
    }

    private bool OlderThanRaw(ProbeResult result, TimeSpan shift, DateTimeOffset now)
    {
        var ticks = result.StartedAt.UtcTicks - shift.Ticks;
        return ticks >= DateTimeOffset.MinValue.UtcTicks && ticks < (now - TimeSpan.FromDays(options.Value.Retention.RawDays)).UtcTicks;
    }

    /// <summary>Tells subscribers (notifications, open What changed pages) of the changes this batch confirmed, once each, after the commit.</summary>
    private async Task RaiseConfirmedAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken)
    {
        var rows = await new Changes.ChangesQuery(db).ByIdsAsync(ids, cancellationToken);
        LogConfirmed(rows.Count, rows.Count > 0 ? rows[0].AgentId : 0);
        notifier.NotifyChangesConfirmed([.. rows.Select(r => new ConfirmedChangeEvent(r.Id, r.AgentId, r.AgentName, r.AgentRole, r.TargetId,
            r.Service, r.Host, r.Required, r.From, r.To, r.Reason, r.Message, r.At))]);
    }

    /// <summary>The result's start on the server's clock, or null when that is out of range or outside [now − ArcBridge:Retention:RawDays, now + 5 min].</summary>
    private DateTimeOffset? OnServerClock(ProbeResult result, TimeSpan shift, DateTimeOffset now, bool remote)
    {
        if (!remote)
            return result.StartedAt;
        var ticks = result.StartedAt.UtcTicks - shift.Ticks;
        if (ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
            return null;
        var startedAt = new DateTimeOffset(ticks, TimeSpan.Zero);
        return startedAt > now + MaxAhead || startedAt < now - TimeSpan.FromDays(options.Value.Retention.RawDays) ? null : startedAt;
    }

    /// <summary>
    /// Opens the sweep of a pass before its first result: the built-in agent does, so open pages show the sweep
    /// running from its start. Remote agents' sweeps open with their first stored result.
    /// </summary>
    public async Task<long> OpenAsync(int agentId, SweepPass pass, CancellationToken cancellationToken)
    {
        var sweep = NewSweep(agentId, pass, TimeSpan.Zero);
        await gate.Lock.WaitAsync(cancellationToken);
        try
        {
            db.Sweeps.Add(sweep);
            await db.SaveChangesAsync(cancellationToken);
        }
        finally
        {
            gate.Lock.Release();
            db.ChangeTracker.Clear();
        }
        notifier.NotifySweepStarted(new SweepStartedEvent(sweep.Id, agentId, sweep.Trigger, sweep.StartedAt, sweep.TargetCount));
        return sweep.Id;
    }

    /// <summary>Ends a pass that will send no last result: it probed nothing, or it broke (<paramref name="error"/>).</summary>
    public async Task<SweepSummary> CloseAsync(long sweepId, string? error, CancellationToken cancellationToken)
    {
        var text = error is { Length: > 2000 } ? error[..2000] : error;
        var now = time.GetUtcNow();
        await db.Sweeps.Where(s => s.Id == sweepId && s.FinishedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.FinishedAt, now).SetProperty(x => x.Error, text), cancellationToken);
        return await FinishAsync(sweepId, cancellationToken);
    }

    private async Task<Sweep> SweepOfAsync(int agentId, SweepPass pass, TimeSpan shift, Dictionary<Guid, Sweep> sweeps, List<Sweep> started, CancellationToken cancellationToken)
    {
        if (sweeps.TryGetValue(pass.Id, out var sweep))
            return sweep;
        sweep = await db.Sweeps.SingleOrDefaultAsync(s => s.AgentId == agentId && s.PassId == pass.Id, cancellationToken);
        if (sweep is null)
        {
            sweep = NewSweep(agentId, pass, shift);
            db.Sweeps.Add(sweep);
            // The id is needed for the result rows written next.
            await db.SaveChangesAsync(cancellationToken);
            started.Add(sweep);
        }
        return sweeps[pass.Id] = sweep;
    }

    private static Sweep NewSweep(int agentId, SweepPass pass, TimeSpan shift) => new()
    {
        AgentId = agentId,
        PassId = pass.Id,
        Trigger = pass.Trigger == SweepPass.Manual ? SweepTrigger.Manual : SweepTrigger.Schedule,
        StartedAt = pass.StartedAt - shift,
        TargetCount = Math.Max(0, pass.TargetCount),
    };

    private static void Count(Sweep sweep, ProbeResult result, List<long> finished)
    {
        switch (result.Verdict)
        {
            case Verdict.Pass: sweep.PassCount++; break;
            case Verdict.Warn: sweep.WarnCount++; break;
            default: sweep.FailCount++; break;
        }
        if (!result.Pass!.Last || sweep.FinishedAt is not null)
            return;
        sweep.FinishedAt = result.StartedAt + TimeSpan.FromMilliseconds(ResultRows.TotalOf(result));
        finished.Add(sweep.Id);
    }

    /// <summary>The median of the sweep's Date-header offsets: one server with a bad clock does not move it.</summary>
    private async Task<double?> SweepClockAsync(long sweepId, CancellationToken cancellationToken)
    {
        var query = db.Database.IsNpgsql()
            ? db.Database.SqlQuery<double>($"""
                SELECT ("DetailsJson"::jsonb -> 'http' ->> 'clockOffsetMs')::double precision AS "Value" FROM "Results"
                WHERE "SweepId" = {sweepId} AND "DetailsJson"::jsonb -> 'http' ->> 'clockOffsetMs' IS NOT NULL
                """)
            : db.Database.SqlQuery<double>($"""
                SELECT json_extract(DetailsJson, '$.http.clockOffsetMs') AS Value FROM Results
                WHERE SweepId = {sweepId} AND json_extract(DetailsJson, '$.http.clockOffsetMs') IS NOT NULL
                """);
        var offsets = await query.ToListAsync(cancellationToken);
        return HttpClock.Median(offsets)?.OffsetMs;
    }

    private async Task UpdateAgentAsync(int agentId, Sender sender, TimeSpan? offset, double? serverClockMs, DateTimeOffset receivedAt, int settled, CancellationToken cancellationToken)
    {
        double? offsetMs = offset?.TotalMilliseconds;
        var depthAfter = Math.Max(0, sender.OutboxDepth - settled);
        await db.Agents.Where(a => a.Id == agentId).ExecuteUpdateAsync(s => s
            .SetProperty(a => a.LastSeenAt, receivedAt)
            .SetProperty(a => a.ClockOffsetMs, a => offsetMs ?? a.ClockOffsetMs)
            .SetProperty(a => a.ServerClockOffsetMs, a => serverClockMs ?? a.ServerClockOffsetMs)
            .SetProperty(a => a.OutboxDepth, depthAfter)
            .SetProperty(a => a.Address, a => sender.Address ?? a.Address), cancellationToken);
    }

    /// <summary>Compares the completed sweep with the agent's previous one and tells open pages.</summary>
    private async Task<SweepSummary> FinishAsync(long sweepId, CancellationToken cancellationToken)
    {
        var sweep = await db.Sweeps.AsNoTracking().SingleAsync(s => s.Id == sweepId, cancellationToken);
        var changes = sweep.Error is null ? await SweepComparer.CompareAsync(db, sweepId, cancellationToken) : SweepChangeSummary.Empty;
        var summary = new SweepSummary(sweep.Id, sweep.AgentId, sweep.Trigger, sweep.StartedAt, sweep.FinishedAt ?? sweep.StartedAt,
            sweep.TargetCount, sweep.PassCount, sweep.WarnCount, sweep.FailCount, changes, sweep.Error);
        LogSweepFinished(sweep.Id, sweep.AgentId, sweep.PassCount, sweep.WarnCount, sweep.FailCount, changes.NewlyFailing.Count, changes.Recovered.Count);
        notifier.NotifySweepFinished(new SweepFinishedEvent(summary));
        return summary;
    }

    /// <summary>(endpoint key, target key) → target id; active targets win over retired ones with the same keys.</summary>
    private async Task<Dictionary<(string, string), int>> LoadTargetsAsync(IReadOnlyList<ProbeResult> results, CancellationToken cancellationToken)
    {
        var keys = results.Select(r => r.TargetKey).Distinct().ToList();
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
    private partial void LogStored(int agentId, int stored, int duplicates, int rejected);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Agent {AgentId} batch of {Count} refused, nothing stored: {Reason}")]
    private partial void LogRefused(int agentId, int count, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} confirmed change(s) from agent {AgentId}")]
    private partial void LogConfirmed(int count, int agentId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep {SweepId} of agent {AgentId} finished: {PassCount} pass, {WarnCount} warn, {FailCount} fail; {NewlyFailing} newly failing, {Recovered} recovered")]
    private partial void LogSweepFinished(long sweepId, int agentId, int passCount, int warnCount, int failCount, int newlyFailing, int recovered);
}

/// <summary>
/// How many store transactions run at once. SQLite: one (it has one writer, and queueing here beats busy-retrying
/// there). PostgreSQL: <see cref="PostgreSqlWriters"/>, as replicas already store side by side: the rows a batch writes
/// are its agent's own (roll-ups, latest rows, states keyed by agent), results by id with ON CONFLICT DO NOTHING, so
/// batches of different agents do not wait on each other's locks, and while one waits for its commit's WAL flush or
/// a round trip the next one works (PostgreSQL commits waiting flushes together).
/// </summary>
public sealed class IngestGate(int writers = 1)
{
    public const int PostgreSqlWriters = 8;

    public SemaphoreSlim Lock { get; } = new(writers, writers);

    public static IngestGate For(DatabaseProvider provider) => new(provider == DatabaseProvider.PostgreSql ? PostgreSqlWriters : 1);
}
