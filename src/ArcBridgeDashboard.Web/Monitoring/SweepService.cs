using ArcBridgeDashboard.Probes.Http;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Probes.Sweeps;
using ArcBridgeDashboard.Web.Configuration;
using ArcBridgeDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace ArcBridgeDashboard.Web.Monitoring;

/// <summary>
/// Runs one sweep of the built-in agent: the active targets for its role through the probe engine, each result
/// stored as it arrives (and pushed to open pages), then the sweep closed with counts and a change summary.
/// Scoped: one instance per sweep.
/// </summary>
public sealed partial class SweepService(
    ArcBridgeDbContext db,
    DashboardSettingsStore settingsStore,
    SweepRunner runner,
    LiveStatusNotifier notifier,
    TimeProvider time,
    ILogger<SweepService> logger)
{
    /// <param name="endpointIds">Only these endpoints (per-endpoint schedules); null: all active endpoints.</param>
    public async Task<SweepSummary> RunSweepAsync(SweepTrigger trigger, IReadOnlySet<int>? endpointIds = null, CancellationToken cancellationToken = default)
    {
        var agent = await db.Agents.AsNoTracking().SingleAsync(a => a.Id == Agent.BuiltInId, cancellationToken);
        var targets = await db.Targets.AsNoTracking()
            .Include(t => t.Endpoint)
            .Where(t => t.RetiredAt == null && t.Endpoint!.CatalogVersion!.IsActive && (t.Sources & agent.Role) != 0)
            .ToListAsync(cancellationToken);
        if (endpointIds is not null)
            targets = [.. targets.Where(t => endpointIds.Contains(t.EndpointId))];
        var settings = await settingsStore.GetProbeSettingsAsync(cancellationToken);
        var byKey = targets.GroupBy(t => (t.Endpoint!.Key, t.Key)).ToDictionary(g => g.Key, g => g.First());

        var sweep = new Sweep { AgentId = agent.Id, Trigger = trigger, StartedAt = time.GetUtcNow(), TargetCount = byKey.Count };
        db.Sweeps.Add(sweep);
        await db.SaveChangesAsync(cancellationToken);
        LogSweepStarted(sweep.Id, trigger, byKey.Count);
        notifier.NotifySweepStarted(new SweepStartedEvent(sweep.Id, agent.Id, trigger, sweep.StartedAt, byKey.Count));

        var contracts = byKey.Values.Select(t => t.ToContract(t.Endpoint!)).ToList();
        var withClock = new List<ProbeResult>();
        try
        {
            await foreach (var result in runner.RunAsync(contracts, settings, cancellationToken))
            {
                if (!byKey.TryGetValue((result.EndpointKey, result.TargetKey), out var target))
                {
                    LogUnknownTarget(result.TargetKey);
                    continue;
                }
                if (!await ResultWriter.WriteAsync(db, agent.Id, sweep.Id, target.Id, result, cancellationToken))
                    continue;
                Count(sweep, result.Verdict);
                if (result.Details.Http?.ClockOffsetMs is not null)
                    withClock.Add(result);
                notifier.NotifyResultArrived(new ResultArrivedEvent(sweep.Id, agent.Id, target.Id, result));
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Close the sweep with the reason so the Sweeps page shows it; /healthz ignores failed sweeps.
            sweep.Error = ex.Message.Length > 2000 ? ex.Message[..2000] : ex.Message;
            sweep.FinishedAt = time.GetUtcNow();
            await db.SaveChangesAsync(CancellationToken.None);
            notifier.NotifySweepFinished(new SweepFinishedEvent(Summarize(sweep, SweepChangeSummary.Empty)));
            throw;
        }

        sweep.FinishedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        if (HttpClock.Median(withClock) is { } clock)
            await db.Agents.Where(a => a.Id == agent.Id).ExecuteUpdateAsync(s => s.SetProperty(a => a.ServerClockOffsetMs, clock.OffsetMs), cancellationToken);
        var changes = await SweepComparer.CompareAsync(db, sweep.Id, cancellationToken);
        var summary = Summarize(sweep, changes);
        LogSweepFinished(sweep.Id, sweep.PassCount, sweep.WarnCount, sweep.FailCount, changes.NewlyFailing.Count, changes.Recovered.Count);
        notifier.NotifySweepFinished(new SweepFinishedEvent(summary));
        return summary;
    }

    private static SweepSummary Summarize(Sweep sweep, SweepChangeSummary changes) => new(
        sweep.Id, sweep.AgentId, sweep.Trigger, sweep.StartedAt, sweep.FinishedAt ?? sweep.StartedAt,
        sweep.TargetCount, sweep.PassCount, sweep.WarnCount, sweep.FailCount, changes, sweep.Error);

    private static void Count(Sweep sweep, Verdict verdict)
    {
        switch (verdict)
        {
            case Verdict.Pass: sweep.PassCount++; break;
            case Verdict.Warn: sweep.WarnCount++; break;
            default: sweep.FailCount++; break;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep {SweepId} started ({Trigger}) over {TargetCount} targets")]
    private partial void LogSweepStarted(long sweepId, SweepTrigger trigger, int targetCount);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep {SweepId} finished: {PassCount} pass, {WarnCount} warn, {FailCount} fail; {NewlyFailing} newly failing, {Recovered} recovered")]
    private partial void LogSweepFinished(long sweepId, int passCount, int warnCount, int failCount, int newlyFailing, int recovered);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The probe engine returned a result for unknown target {TargetKey}; ignored")]
    private partial void LogUnknownTarget(string targetKey);
}
