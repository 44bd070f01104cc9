using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Probes.Proxy;
using ArcBridgeDashboard.Probes.Revocation;

namespace ArcBridgeDashboard.Probes.Sweeps;

/// <summary>Probes many targets concurrently (bounded by <see cref="ProbeSettings.MaxParallelism"/>) and yields results as they finish.</summary>
public sealed class SweepRunner(TargetProber? prober = null)
{
    private readonly TargetProber _prober = prober ?? new TargetProber();

    /// <summary>
    /// Yields one result per target in completion order, so a sweep lasts about as long as its slowest target.
    /// Revocation servers come last: those the catalog lists (kind Revocation) and every CRL/OCSP host the chains of this
    /// sweep name, one result per host:port, so a sweep may yield more results than it was given targets.
    /// Settings errors (a '*' in NoProxy, a non-http proxy URL) throw before any probe starts.
    /// </summary>
    public async IAsyncEnumerable<ProbeResult> RunAsync(IReadOnlyList<ProbeTarget> targets, ProbeSettings settings,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(targets);
        NoProxyRules.Validate(settings.Proxy, settings.NoProxy);
        if (settings.MaxParallelism < 1)
            throw new ArgumentOutOfRangeException(nameof(settings), settings.MaxParallelism, "MaxParallelism must be at least 1.");

        var results = Channel.CreateUnbounded<ProbeResult>(new UnboundedChannelOptions { SingleReader = true });
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var options = new ParallelOptions { MaxDegreeOfParallelism = settings.MaxParallelism, CancellationToken = cts.Token };
        var producer = Task.Run(async () =>
        {
            try
            {
                var seen = new ConcurrentQueue<ProbeResult>();
                // The revocation servers the catalog lists are fetched alongside everything else, so a blackholed one
                // costs no second timeout at the end; who needs them is only known from the chains, so their results
                // wait for those. Servers only a chain names can be fetched only afterwards.
                var given = targets.Where(t => t.Kind == ProbeKind.Revocation && t.Host is not null).ToList();
                var early = new ConcurrentDictionary<string, (RevocationCheck Alone, ProbeResult Result)>(StringComparer.Ordinal);
                var work = targets.Where(t => t.Kind != ProbeKind.Revocation).Select(t => (Target: t, Alone: (RevocationCheck?)null))
                    .Concat(given.Select(t => (Target: t, Alone: (RevocationCheck?)RevocationPlan.Alone(t))));
                await Parallel.ForEachAsync(work, options, async (item, ct) =>
                {
                    if (item.Alone is { } alone)
                    {
                        early[RevocationPlan.Key(alone.Target.Host!, alone.Target.Port)] = (alone, await _prober.ProbeAsync(alone, settings, ct).ConfigureAwait(false));
                        return;
                    }
                    var result = await _prober.ProbeAsync(item.Target, settings, ct).ConfigureAwait(false);
                    seen.Enqueue(result);
                    await results.Writer.WriteAsync(result, ct).ConfigureAwait(false);
                }).ConfigureAwait(false);
                var checks = RevocationPlan.Build(given, seen);
                await Parallel.ForEachAsync(checks, options, async (check, ct) =>
                {
                    var result = early.TryGetValue(RevocationPlan.Key(check.Target.Host!, check.Target.Port), out var done)
                        ? RevocationPlan.Attribute(done.Result, done.Alone, check)
                        : await _prober.ProbeAsync(check, settings, ct).ConfigureAwait(false);
                    await results.Writer.WriteAsync(result, ct).ConfigureAwait(false);
                }).ConfigureAwait(false);
                results.Writer.TryComplete();
            }
            catch (Exception ex)
            {
                results.Writer.TryComplete(ex);
            }
        }, CancellationToken.None);

        try
        {
            await foreach (var result in results.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                yield return result;
        }
        finally
        {
            // The consumer stopped early or was cancelled: stop the probes still running before leaving.
            await cts.CancelAsync().ConfigureAwait(false);
            await producer.ConfigureAwait(false);
        }
    }
}
