using ArcBridgeDashboard.Probes.Contracts;

namespace ArcBridgeDashboard.Probes.Sweeps;

/// <summary>Probes many targets concurrently (bounded by <see cref="ProbeSettings.MaxParallelism"/>) and yields results as they finish.</summary>
public sealed class SweepRunner
{
    public IAsyncEnumerable<ProbeResult> RunAsync(IReadOnlyList<ProbeTarget> targets, ProbeSettings settings, CancellationToken cancellationToken = default)
        => throw new NotImplementedException("issue 2: probes helper");
}
