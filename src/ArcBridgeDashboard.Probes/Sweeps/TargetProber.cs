using ArcBridgeDashboard.Probes.Contracts;

namespace ArcBridgeDashboard.Probes.Sweeps;

/// <summary>Probes one target through its phases and returns a verdict. Never throws for network faults.</summary>
public sealed class TargetProber
{
    public Task<ProbeResult> ProbeAsync(ProbeTarget target, ProbeSettings settings, CancellationToken cancellationToken = default)
        => throw new NotImplementedException("issue 2: probes helper");
}
