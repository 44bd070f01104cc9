using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Probes.Tests.Support;
using ArcBridgeDashboard.Probes.Tests.Tls;

namespace ArcBridgeDashboard.Probes.Tests.Http;

/// <summary>The WebSocket upgrade a service bus target gets after its GET, against real Kestrel, nginx and squid.</summary>
public sealed class WebSocketProbeTests(LabPki pki) : IClassFixture<LabPki>
{
    private ProbeSettings Settings => Probe.Settings(timeoutSeconds: 3) with { ExpectedRoots = [pki.PublicRoot] };

    private static ProbeTarget ServiceBus(string host, int port) => Probe.Target(host, port) with { WebSocketUpgrade = true };

    private Task<ArcEndpointServer> EndpointAsync() => ArcEndpointServer.StartAsync(pki.PublicLeaf(), [pki.PublicIssuer]);

    [Fact]
    public async Task ProbeAsync_EndpointUpgrades_PassesWith101()
    {
        await using var endpoint = await EndpointAsync();

        var result = await Probe.RunAsync(ServiceBus("127.0.0.1", endpoint.Port), Settings);

        Probe.AssertOutcome(result, Verdict.Pass, Phase.None, ReasonCode.Ok);
        Assert.Equal(101, result.Details.Http!.WebSocketStatus);
        Assert.Null(result.Details.Http.WebSocketError);
        Assert.Contains("WebSocket upgrade 101", result.Message);
    }

    [Fact]
    public async Task ProbeAsync_ThroughSquidConnectTunnel_Passes()
    {
        await using var endpoint = await EndpointAsync();
        using var squid = new SquidRunner();

        var result = await Probe.RunAsync(ServiceBus("127.0.0.1", endpoint.Port), Settings with { Proxy = squid.OpenProxy, PhaseTimeout = TimeSpan.FromSeconds(8) });

        Probe.AssertOutcome(result, Verdict.Pass, Phase.None, ReasonCode.Ok);
        Assert.Equal(101, result.Details.Http!.WebSocketStatus);
        Assert.Contains("via proxy", result.Message);
    }

    [Fact]
    public async Task ProbeAsync_NginxDoesNotForwardUpgrade_FailsWebSocketUpgradeRefused()
    {
        await using var endpoint = await EndpointAsync();
        // nginx's default proxying drops Upgrade/Connection: the endpoint sees a plain GET and answers it (401).
        using var nginx = new NginxRunner(pki.PublicLeaf(), [pki.PublicIssuer], endpoint.Port);

        var result = await Probe.RunAsync(ServiceBus("127.0.0.1", nginx.Port), Settings);

        Probe.AssertOutcome(result, Verdict.Fail, Phase.Http, ReasonCode.WebSocketUpgradeRefused);
        Assert.Equal(401, result.Details.Http!.WebSocketStatus);
        Assert.Contains("without an Upgrade header", result.Details.Http.WebSocketError);
        Assert.Contains("Server: nginx", result.Details.Http.WebSocketError);
        Assert.Contains("allow wss://", result.Remedy);
    }

    [Fact]
    public async Task ProbeAsync_NginxForwardingUpgrade_Passes()
    {
        await using var endpoint = await EndpointAsync();
        using var nginx = new NginxRunner(pki.PublicLeaf(), [pki.PublicIssuer], endpoint.Port, locationExtra: """
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
            """);

        var result = await Probe.RunAsync(ServiceBus("127.0.0.1", nginx.Port), Settings);

        Probe.AssertOutcome(result, Verdict.Pass, Phase.None, ReasonCode.Ok);
        Assert.Equal(101, result.Details.Http!.WebSocketStatus);
    }

    [Fact]
    public async Task ProbeAsync_NginxForbidsUpgrade_FailsWebSocketUpgradeRefusedWith403()
    {
        await using var endpoint = await EndpointAsync();
        using var nginx = new NginxRunner(pki.PublicLeaf(), [pki.PublicIssuer], endpoint.Port,
            locationExtra: "if ($http_upgrade) { return 403; }");

        var result = await Probe.RunAsync(ServiceBus("127.0.0.1", nginx.Port), Settings);

        Probe.AssertOutcome(result, Verdict.Fail, Phase.Http, ReasonCode.WebSocketUpgradeRefused);
        Assert.Equal(403, result.Details.Http!.WebSocketStatus);
        Assert.Equal(401, result.Details.Http.StatusCode); // the GET itself went through
    }

    [Fact]
    public async Task ProbeAsync_HaproxyHoldsUpgrade_FailsWebSocketUpgradeBroken()
    {
        await using var endpoint = await EndpointAsync();
        using var haproxy = new HaproxyRunner(pki.PublicLeaf(), [pki.PublicIssuer], endpoint.Port,
            "    http-request tarpit if { req.hdr(upgrade) -m found }");

        var result = await Probe.RunAsync(ServiceBus("127.0.0.1", haproxy.Port), Settings with { PhaseTimeout = TimeSpan.FromSeconds(2) });

        Probe.AssertOutcome(result, Verdict.Fail, Phase.Http, ReasonCode.WebSocketUpgradeBroken);
        Assert.Null(result.Details.Http!.WebSocketStatus);
        Assert.Contains("no answer to the upgrade request", result.Details.Http.WebSocketError);
        Assert.Equal(401, result.Details.Http.StatusCode);
    }

    [Fact]
    public async Task ProbeAsync_SquidDeniesHost_StaysProxyDenied()
    {
        using var squid = new SquidRunner();

        var result = await Probe.RunAsync(ServiceBus(SquidRunner.BlockedAddress.ToString(), 443), Settings with { Proxy = squid.OpenProxy, PhaseTimeout = TimeSpan.FromSeconds(8) });

        Probe.AssertOutcome(result, Verdict.Fail, Phase.Proxy, ReasonCode.ProxyDenied);
        Assert.Null(result.Details.Http);
    }
}
