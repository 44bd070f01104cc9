using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Probes.Tests.Support;

namespace ArcBridgeDashboard.Probes.Tests.Proxy;

public sealed class ProxyStatusTests
{
    [Fact]
    public async Task ProbeAsync_ProxyUrlPointsAtPlainWebServer_FailsUnexpectedStatus()
    {
        using var notAProxy = TcpPeer.PlainHttp();
        var settings = Probe.Settings() with { Proxy = new Uri($"http://127.0.0.1:{notAProxy.Port}") };

        var result = await Probe.RunAsync(Probe.Target("127.0.0.1", 443), settings);

        Probe.AssertOutcome(result, Verdict.Fail, Phase.Proxy, ReasonCode.ProxyUnexpectedStatus);
        Assert.Equal(400, result.Details.Proxy!.StatusCode);
        Assert.Equal("plain", result.Details.Proxy.Server);
    }

    [Fact]
    public async Task ProbeAsync_ProxyNeverAnswersConnect_FailsUnexpectedStatus()
    {
        using var silent = TcpPeer.Silent();
        var settings = Probe.Settings(timeoutSeconds: 1) with { Proxy = new Uri($"http://127.0.0.1:{silent.Port}") };

        var result = await Probe.RunAsync(Probe.Target("127.0.0.1", 443), settings);

        Probe.AssertOutcome(result, Verdict.Fail, Phase.Proxy, ReasonCode.ProxyUnexpectedStatus);
        Assert.Contains("no CONNECT answer", result.Message);
    }

    [Fact]
    public async Task ProbeAsync_ProxyResetsConnect_FailsTcpResetInProxyPhase()
    {
        using var resetting = TcpPeer.Resetting();
        var settings = Probe.Settings() with { Proxy = new Uri($"http://127.0.0.1:{resetting.Port}") };

        var result = await Probe.RunAsync(Probe.Target("127.0.0.1", 443), settings);

        Probe.AssertOutcome(result, Verdict.Fail, Phase.Proxy, ReasonCode.TcpReset);
    }
}
