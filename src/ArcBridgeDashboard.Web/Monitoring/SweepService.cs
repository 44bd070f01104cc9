using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Probes.Sweeps;
using ArcBridgeDashboard.Web.Agents;
using ArcBridgeDashboard.Web.Configuration;
using ArcBridgeDashboard.Web.Data;

namespace ArcBridgeDashboard.Web.Monitoring;

/// <summary>
/// Runs one pass of the built-in agent, as a remote agent runs one: its plan's due targets through the probe engine,
/// the results stamped with the pass and stored through <see cref="ResultStore"/> as they arrive, which files the pass
/// as a sweep and completes it with the last result. Scoped: one instance per sweep.
/// </summary>
public sealed partial class SweepService(
    AgentPlanBuilder plans,
    DashboardSettingsStore settingsStore,
    SweepRunner runner,
    ResultStore store,
    TimeProvider time,
    ILogger<SweepService> logger)
{
    /// <param name="endpointKeys">Only these endpoints (keys) (per-endpoint schedules); null: all active endpoints.</param>
    public async Task<SweepSummary> RunSweepAsync(SweepTrigger trigger, IReadOnlySet<string>? endpointKeys = null, CancellationToken cancellationToken = default)
    {
        var plan = await plans.BuildForBuiltInAsync(cancellationToken);
        var targets = endpointKeys is null ? plan.Targets : [.. plan.Targets.Where(t => endpointKeys.Contains(t.EndpointKey))];
        var settings = await settingsStore.GetProbeSettingsAsync(cancellationToken);
        var pass = new SweepPass
        {
            Id = Guid.NewGuid(), Trigger = trigger == SweepTrigger.Manual ? SweepPass.Manual : SweepPass.Schedule,
            StartedAt = time.GetUtcNow(), TargetCount = targets.Count,
        };
        var sweepId = await store.OpenAsync(Agent.BuiltInId, pass, cancellationToken);
        LogSweepStarted(sweepId, trigger, targets.Count);
        SweepSummary? summary = null;
        try
        {
            // One result a group: open pages see each result as it is stored.
            await foreach (var group in PassGroups.StampAsync(runner.RunAsync(targets, settings, cancellationToken), pass, 1))
            {
                var outcome = await store.StoreAsync(Agent.BuiltInId, group, new ResultStore.Sender(), cancellationToken);
                summary = outcome.Finished.FirstOrDefault(s => s.SweepId == sweepId) ?? summary;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Close the sweep with the reason so the Sweeps page shows it; /healthz ignores failed sweeps.
            await store.CloseAsync(sweepId, ex.Message, CancellationToken.None);
            throw;
        }
        // No last result came (nothing was due): the sweep ends here.
        return summary ?? await store.CloseAsync(sweepId, null, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep {SweepId} started ({Trigger}) over {TargetCount} targets")]
    private partial void LogSweepStarted(long sweepId, SweepTrigger trigger, int targetCount);

}
