using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Probes.Tests.Support;

namespace ArcBridgeDashboard.Probes.Tests.Tcp;

public sealed class TcpConnectProbeTests
{
    [Fact]
    public async Task ProbeAsync_ClosedPort_FailsTcpRefused()
    {
        var result = await Probe.RunAsync(Probe.Target("127.0.0.1", Ports.ClosedTcp()), Probe.Settings());

        Probe.AssertOutcome(result, Verdict.Fail, Phase.Tcp, ReasonCode.TcpRefused);
        Assert.Null(result.Details.Tls);
    }

    [Fact]
    public async Task ProbeAsync_ClosedPort_MessageNamesTargetOnce()
    {
        var port = Ports.ClosedTcp();

        var result = await Probe.RunAsync(Probe.Target("127.0.0.1", port), Probe.Settings());

        Assert.Equal($"Connection to 127.0.0.1:{port} was refused: ConnectionRefused", result.Message);
    }

    [Fact]
    public async Task ProbeAsync_ListenQueueFull_FailsTcpTimeout()
    {
        using var peer = TcpPeer.BacklogFull();

        var result = await Probe.RunAsync(Probe.Target("127.0.0.1", peer.Port, ProbeKind.TcpDirect), Probe.Settings(timeoutSeconds: 1));

        Probe.AssertOutcome(result, Verdict.Fail, Phase.Tcp, ReasonCode.TcpTimeout);
        Assert.Equal($"Connection to 127.0.0.1:{peer.Port} timed out: no answer within 1 s", result.Message);
    }

    [Fact]
    public async Task ProbeAsync_TcpDirectToListener_PassesWithoutProxy()
    {
        using var peer = TcpPeer.Silent();
        var settings = Probe.Settings() with { Proxy = new Uri($"http://127.0.0.1:{Ports.ClosedTcp()}") };

        var result = await Probe.RunAsync(Probe.Target("127.0.0.1", peer.Port, ProbeKind.TcpDirect), settings);

        Probe.AssertOutcome(result, Verdict.Pass, Phase.None, ReasonCode.Ok);
        Assert.Equal($"127.0.0.1:{peer.Port}", result.Details.ConnectedAddress);
        Assert.Null(result.Details.Proxy);
    }

    [Fact]
    public async Task ProbeAsync_BroadcastAddress_FailsTcpUnreachable()
    {
        // Linux refuses a TCP connect to a broadcast address with ENETUNREACH before any packet is sent:
        // the same error a missing route gives, produced without touching the machine's routes.
        var result = await Probe.RunAsync(Probe.Target("255.255.255.255", 443, ProbeKind.TcpDirect), Probe.Settings());

        Probe.AssertOutcome(result, Verdict.Fail, Phase.Tcp, ReasonCode.TcpUnreachable);
        Assert.Contains("NetworkUnreachable", result.Message);
    }
}
