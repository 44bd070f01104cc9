using ArcBridgeDashboard.Probes.Contracts;

namespace ArcBridgeDashboard.Probes.Sweeps;

/// <summary>
/// The state of one probe while it runs: per-phase timings (blackbox_exporter style), the evidence gathered
/// so far and the first warning. <see cref="Finish"/> turns it into the one result a probe reports.
/// </summary>
internal sealed class ProbeRun(ProbeTarget target, TimeProvider time)
{
    private readonly long _start = time.GetTimestamp();
    private readonly Dictionary<string, double> _timings = [];
    private PhaseFault? _warning;
    private Phase _warningPhase;

    public DateTimeOffset StartedAt { get; } = time.GetUtcNow();
    public ProbeDetails Details { get; set; } = new();
    public Phase Current { get; private set; } = Phase.None;
    public string TargetText { get; } = $"{target.Host ?? target.HostPattern}:{target.Port}";

    /// <summary>Runs one phase and records its duration under the phase's lower-case name (dns, tcp, proxy, tls, http, ntp).</summary>
    public async Task<T> TimeAsync<T>(Phase phase, Func<Task<T>> work)
    {
        Current = phase;
        var begin = time.GetTimestamp();
        try
        {
            return await work().ConfigureAwait(false);
        }
        finally
        {
            var key = phase.ToString().ToLowerInvariant();
            _timings[key] = (_timings.TryGetValue(key, out var before) ? before : 0) + Ms(time.GetElapsedTime(begin));
        }
    }

    /// <summary>Keeps the first warning; the probe carries on and reports it only when nothing fails later.</summary>
    public void Warn(Phase phase, PhaseFault warning)
    {
        if (_warning is not null)
            return;
        _warning = warning;
        _warningPhase = phase;
    }

    public ProbeResult Fail(Phase phase, PhaseFault fault) => Finish(phase, fault);

    public ProbeResult Pass(string? detail = null)
        => _warning is null ? Finish(Phase.None, new PhaseFault(ReasonCode.Ok, detail ?? "")) : Finish(_warningPhase, _warning);

    private ProbeResult Finish(Phase phase, PhaseFault fault)
    {
        _timings["total"] = Ms(time.GetElapsedTime(_start));
        var info = ReasonCatalog.Get(fault.Reason);
        return new ProbeResult
        {
            EndpointKey = target.EndpointKey,
            TargetKey = target.Key,
            Service = target.Service,
            Host = target.Host ?? target.HostPattern,
            Port = target.Port,
            Protocol = target.Protocol,
            Sources = target.Sources,
            Required = target.Required,
            Verdict = info.Verdict,
            Phase = phase,
            Reason = fault.Reason,
            Message = ReasonCatalog.Message(fault.Reason, TargetText, fault.Detail),
            Remedy = info.Remedy,
            StartedAt = StartedAt,
            TimingsMs = new Dictionary<string, double>(_timings),
            Details = Details,
        };
    }

    private static double Ms(TimeSpan elapsed) => Math.Round(elapsed.TotalMilliseconds, 3);
}
