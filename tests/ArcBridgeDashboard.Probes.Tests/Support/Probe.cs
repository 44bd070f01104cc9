using System.Net;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Probes.Sweeps;

namespace ArcBridgeDashboard.Probes.Tests.Support;

/// <summary>Builds targets and settings for loopback tests; settings never point at the system resolver.</summary>
public static class Probe
{
    /// <summary>A DNS server address where nothing answers: any accidental lookup fails fast instead of reaching the real resolver.</summary>
    public static readonly IPEndPoint NoDns = new(IPAddress.Loopback, 9);

    public static ProbeTarget Target(string host, int port, ProbeKind kind = ProbeKind.Https) => new()
    {
        EndpointKey = $"{host}:{port}/tcp",
        Service = "Lab service",
        HostPattern = host,
        Host = host,
        Port = port,
        Protocol = kind == ProbeKind.Ntp ? TransportProtocol.Udp : TransportProtocol.Tcp,
        Kind = kind,
        Sources = Sources.ManagementMachine,
    };

    public static ProbeSettings Settings(IPEndPoint? dns = null, double timeoutSeconds = 3) => new()
    {
        DnsServers = [dns ?? NoDns],
        PhaseTimeout = TimeSpan.FromSeconds(timeoutSeconds),
    };

    public static Task<ProbeResult> RunAsync(ProbeTarget target, ProbeSettings settings)
        => new TargetProber().ProbeAsync(target, settings);

    /// <summary>The assertions every reason test makes: verdict, phase, reason, and a message and remedy to show.</summary>
    public static void AssertOutcome(ProbeResult result, Verdict verdict, Phase phase, ReasonCode reason)
    {
        Assert.True(result.Reason == reason, $"expected {reason}, got {result.Reason}: {result.Message}");
        Assert.Equal(verdict, result.Verdict);
        Assert.Equal(phase, result.Phase);
        Assert.False(string.IsNullOrWhiteSpace(result.Message));
        Assert.False(string.IsNullOrWhiteSpace(result.Remedy));
        Assert.True(result.TimingsMs.ContainsKey("total"));
    }
}
