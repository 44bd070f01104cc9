using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Probes.Proxy;
using ArcBridgeDashboard.Probes.Tests.Support;
using ArcBridgeDashboard.Probes.Tests.Tls;

namespace ArcBridgeDashboard.Probes.Tests.Proxy;

public sealed class ArcGatewayFixture : IDisposable
{
    public ArcGatewayFixture()
    {
        Gateway = new GatewaySquidRunner(Pki.PublicLeaf(), Pki.PublicIssuer);
        try
        {
            EnterpriseProxy = new SquidRunner();
            Bump = new SslBumpSquidRunner(Pki.InspectingRoot);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public LabPki Pki { get; } = new();
    public GatewaySquidRunner Gateway { get; }
    public SquidRunner EnterpriseProxy { get; } = null!;
    public SslBumpSquidRunner Bump { get; } = null!;

    public void Dispose()
    {
        Bump?.Dispose();
        EnterpriseProxy?.Dispose();
        Gateway.Dispose();
    }
}

/// <summary>
/// Arc gateway mode against real squid: an https_port stands in for &lt;prefix&gt;.gw.arc.azure.com (CONNECT inside TLS),
/// alone or behind the enterprise proxy (plain squid, or squid ssl-bump inspecting the gateway's TLS).
/// </summary>
[Trait("Category", "Daemons")]
public sealed class ArcGatewayTests(ArcGatewayFixture fixture) : IClassFixture<ArcGatewayFixture>
{
    private ProbeSettings Settings(Uri gateway) => Probe.Settings() with { Gateway = gateway, ExpectedRoots = [fixture.Pki.PublicRoot] };

    [Fact]
    public async Task ProbeAsync_ThroughGateway_PassesWithGatewayTlsAndTunnelEvidence()
    {
        await using var server = await ArcEndpointServer.StartAsync(fixture.Pki.PublicLeaf(), [fixture.Pki.PublicIssuer]);

        var result = await Probe.RunAsync(Probe.Target("127.0.0.1", server.Port), Settings(fixture.Gateway.Gateway));

        Probe.AssertOutcome(result, Verdict.Pass, Phase.None, ReasonCode.Ok);
        var gateway = result.Details.Gateway!;
        Assert.Equal($"https://127.0.0.1:{fixture.Gateway.Port}", gateway.Gateway);
        Assert.Equal(200, gateway.StatusCode);
        Assert.False(gateway.Tls!.Inspected);
        Assert.Equal(401, result.Details.Http!.StatusCode); // the target itself answered, inside the gateway's tunnel
        fixture.Gateway.WaitForAccessLog($"CONNECT 127.0.0.1:{server.Port}"); // logged once the tunnel has closed
    }

    [Fact]
    public async Task ProbeAsync_ThroughEnterpriseProxyThenGateway_ProxyIsAskedForTheGatewayNotTheTarget()
    {
        await using var server = await ArcEndpointServer.StartAsync(fixture.Pki.PublicLeaf(), [fixture.Pki.PublicIssuer]);
        var settings = Settings(fixture.Gateway.Gateway) with { Proxy = fixture.EnterpriseProxy.OpenProxy };

        var result = await Probe.RunAsync(Probe.Target("127.0.0.1", server.Port), settings);

        Probe.AssertOutcome(result, Verdict.Pass, Phase.None, ReasonCode.Ok);
        Assert.Equal(200, result.Details.Proxy!.StatusCode);
        Assert.Equal(200, result.Details.Gateway!.StatusCode);
    }

    [Fact]
    public async Task ProbeAsync_GatewayDeniesTheTarget_FailsGatewayRefused()
    {
        var result = await Probe.RunAsync(Probe.Target(GatewaySquidRunner.BlockedAddress.ToString(), 443), Settings(fixture.Gateway.Gateway));

        Probe.AssertOutcome(result, Verdict.Fail, Phase.Proxy, ReasonCode.GatewayRefused);
        Assert.Contains("403", result.Message);
        Assert.Equal(403, result.Details.Gateway!.StatusCode);
    }

    [Fact]
    public async Task ProbeAsync_GatewayWantsTheAgentsIdentity_WarnsGatewayAuthRequired()
    {
        await using var server = await ArcEndpointServer.StartAsync(fixture.Pki.PublicLeaf(), [fixture.Pki.PublicIssuer]);

        var result = await Probe.RunAsync(Probe.Target("127.0.0.1", server.Port), Settings(fixture.Gateway.AuthGateway));

        Probe.AssertOutcome(result, Verdict.Warn, Phase.Proxy, ReasonCode.GatewayAuthRequired);
        Assert.Equal(407, result.Details.Gateway!.StatusCode);
    }

    [Fact]
    public async Task ProbeAsync_EnterpriseProxyInspectsTheGateway_FailsGatewayInspectedNamingTheInspector()
    {
        await using var server = await ArcEndpointServer.StartAsync(fixture.Pki.PublicLeaf(), [fixture.Pki.PublicIssuer]);
        // The machine trusts the inspecting root, as corporate machines do: the gateway's chain must still be Microsoft's.
        var settings = Settings(fixture.Gateway.Gateway) with { Proxy = fixture.Bump.Proxy, TrustedRoots = [fixture.Pki.InspectingRoot] };

        var result = await Probe.RunAsync(Probe.Target("127.0.0.1", server.Port), settings);

        Probe.AssertOutcome(result, Verdict.Fail, Phase.Proxy, ReasonCode.GatewayInspected);
        Assert.True(result.Details.Gateway!.Tls!.Inspected);
        Assert.Contains("Contoso Inspection CA", result.Details.Gateway.Tls.InterceptingIssuer);
        Assert.Null(result.Details.Http); // nothing was sent to the target
    }

    [Fact]
    public async Task ProbeAsync_GatewayNotListening_FailsTcpNamingTheGateway()
    {
        var closed = new Uri($"https://127.0.0.1:{Ports.ClosedTcp()}");

        var result = await Probe.RunAsync(Probe.Target("127.0.0.1", 443), Settings(closed));

        Probe.AssertOutcome(result, Verdict.Fail, Phase.Tcp, ReasonCode.TcpRefused);
        Assert.Contains("Arc gateway 127.0.0.1", result.Message);
    }

    [Theory]
    [InlineData("mcr.microsoft.com", true)]
    [InlineData("eastus.dp.prod.appliances.azure.com", true)]
    [InlineData("management.azure.com", false)]
    [InlineData("login.microsoftonline.com", false)]
    [InlineData("eastus.login.microsoft.com", false)]
    [InlineData("gbl.his.arc.azure.com", false)]
    [InlineData("eus.his.arc.azure.com", false)]
    [InlineData("PyPI.org.", false)]
    [InlineData("contoso.gw.arc.azure.com", false)]
    public void Covers_DirectListStaysOutOfTheGateway(string host, bool covered)
        => Assert.Equal(covered, ArcGateway.Covers(host));

    [Theory]
    [InlineData("https://contoso.gw.arc.azure.com", null)]
    [InlineData("https://contoso.gw.arc.azure.com:8443", null)]
    [InlineData("http://contoso.gw.arc.azure.com", "is not an https:// URL")]
    [InlineData("contoso.gw.arc.azure.com", "is not an https:// URL")]
    [InlineData("https://contoso.gw.arc.azure.com/path", "no path")]
    [InlineData("https://user:pw@contoso.gw.arc.azure.com", "credentials")]
    public void Parse_AcceptsOnlyAnHttpsOrigin(string text, string? error)
    {
        var uri = ArcGateway.Parse(text, out var message);

        if (error is null)
            Assert.NotNull(uri);
        else
            Assert.Contains(error, message);
    }
}
