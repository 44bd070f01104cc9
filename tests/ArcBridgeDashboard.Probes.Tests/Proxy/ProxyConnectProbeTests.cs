using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Probes.Tests.Support;
using ArcBridgeDashboard.Probes.Tests.Tls;
using ArcBridgeDashboard.Testing;

namespace ArcBridgeDashboard.Probes.Tests.Proxy;

/// <summary>One squid for the class; every test opens its own CONNECT through it.</summary>
public sealed class SquidFixture : IDisposable
{
    public SquidRunner Squid { get; } = new();
    public LabPki Pki { get; } = new();

    public void Dispose() => Squid.Dispose();
}

[Trait("Category", "Daemons")]
public sealed class ProxyConnectProbeTests(SquidFixture fixture) : IClassFixture<SquidFixture>
{
    private ProbeSettings Settings(Uri proxy) => Probe.Settings() with { Proxy = proxy, ExpectedRoots = [fixture.Pki.PublicRoot] };

    [Fact]
    public async Task ProbeAsync_ThroughOpenProxy_PassesOverTunnel()
    {
        using var server = LoopbackTlsServer.Answering(fixture.Pki.PublicLeaf(), fixture.Pki.PublicIssuer);

        var result = await Probe.RunAsync(Probe.Target("127.0.0.1", server.Port), Settings(fixture.Squid.OpenProxy));

        Probe.AssertOutcome(result, Verdict.Pass, Phase.None, ReasonCode.Ok);
        Assert.Equal(200, result.Details.Proxy!.StatusCode);
        Assert.False(result.Details.Proxy.Bypassed);
        Assert.Equal($"127.0.0.1:{fixture.Squid.OpenPort}", result.Details.ConnectedAddress);
        Assert.Equal(404, result.Details.Http!.StatusCode);
        Assert.True(result.TimingsMs.ContainsKey("proxy"));
    }

    [Fact]
    public async Task ProbeAsync_DestinationDeniedByAcl_FailsProxyDeniedWithEvidence()
    {
        var result = await Probe.RunAsync(Probe.Target(SquidRunner.BlockedAddress.ToString(), 443), Settings(fixture.Squid.OpenProxy));

        Probe.AssertOutcome(result, Verdict.Fail, Phase.Proxy, ReasonCode.ProxyDenied);
        var proxy = result.Details.Proxy!;
        Assert.Equal(403, proxy.StatusCode);
        Assert.StartsWith("HTTP/1.1 403", proxy.StatusLine);
        Assert.StartsWith("squid/", proxy.Server);
        Assert.Contains("squid", proxy.Via);
    }

    [Fact]
    public async Task ProbeAsync_AuthProxyWithoutCredentials_FailsProxyAuthRequired()
    {
        var result = await Probe.RunAsync(Probe.Target("127.0.0.1", 443), Settings(fixture.Squid.AuthProxy));

        Probe.AssertOutcome(result, Verdict.Fail, Phase.Proxy, ReasonCode.ProxyAuthRequired);
        Assert.Equal(407, result.Details.Proxy!.StatusCode);
        Assert.Contains("no credentials", result.Message);
    }

    [Fact]
    public async Task ProbeAsync_AuthProxyWrongPassword_FailsProxyAuthRequired()
    {
        var settings = Settings(fixture.Squid.AuthProxy) with { ProxyUser = SquidRunner.User, ProxyPassword = "wrong" };

        var result = await Probe.RunAsync(Probe.Target("127.0.0.1", 443), settings);

        Probe.AssertOutcome(result, Verdict.Fail, Phase.Proxy, ReasonCode.ProxyAuthRequired);
        Assert.Contains("rejected", result.Message);
    }

    [Fact]
    public async Task ProbeAsync_AuthProxyWithCredentials_Passes()
    {
        using var server = LoopbackTlsServer.Answering(fixture.Pki.PublicLeaf(), fixture.Pki.PublicIssuer);
        var settings = Settings(fixture.Squid.AuthProxy) with { ProxyUser = SquidRunner.User, ProxyPassword = SquidRunner.Password };

        var result = await Probe.RunAsync(Probe.Target("127.0.0.1", server.Port), settings);

        Probe.AssertOutcome(result, Verdict.Pass, Phase.None, ReasonCode.Ok);
        Assert.Equal(200, result.Details.Proxy!.StatusCode);
    }

    [Fact]
    public async Task ProbeAsync_CredentialsInProxyUri_Passes()
    {
        using var server = LoopbackTlsServer.Answering(fixture.Pki.PublicLeaf(), fixture.Pki.PublicIssuer);
        var proxy = new Uri($"http://{SquidRunner.User}:{Uri.EscapeDataString(SquidRunner.Password)}@127.0.0.1:{fixture.Squid.AuthPort}");

        var result = await Probe.RunAsync(Probe.Target("127.0.0.1", server.Port), Settings(proxy));

        Probe.AssertOutcome(result, Verdict.Pass, Phase.None, ReasonCode.Ok);
        Assert.Equal($"http://127.0.0.1:{fixture.Squid.AuthPort}", result.Details.Proxy!.Proxy); // never the password
        Assert.DoesNotContain("s3cret", System.Text.Json.JsonSerializer.Serialize(result, ProbeJson.Options));
    }

    [Fact]
    public async Task ProbeAsync_UpstreamClosedPort_FailsProxyUpstreamFailed()
    {
        var result = await Probe.RunAsync(Probe.Target("127.0.0.1", Ports.ClosedTcp()), Settings(fixture.Squid.OpenProxy));

        Probe.AssertOutcome(result, Verdict.Fail, Phase.Proxy, ReasonCode.ProxyUpstreamFailed);
        Assert.InRange(result.Details.Proxy!.StatusCode ?? 0, 502, 504);
    }

    [Fact]
    public async Task ProbeAsync_NameThroughProxy_IsResolvedByTheProxyNotLocally()
    {
        // Our own DNS setting points at a dead port: a local lookup would end in DnsTimeout. The proxy resolves
        // instead and fails (no DNS of its own here), so the verdict is DNS at the proxy, and our own lookup never ran;
        // the cross-check with our dead server confirms nothing.
        var result = await Probe.RunAsync(Probe.Target("mcr.example.test", 443), Settings(fixture.Squid.OpenProxy) with { PhaseTimeout = TimeSpan.FromSeconds(8) });

        Assert.Equal(Phase.Dns, result.Phase);
        Assert.StartsWith("DNS at the proxy:", result.Message);
        Assert.Null(result.Details.Dns);
        Assert.False(result.TimingsMs.ContainsKey("dns"));
        Assert.True(result.TimingsMs.ContainsKey("proxy"));
    }

    [Fact]
    public async Task ProbeAsync_Tls11OnlyServerBehindProxy_FailsProtocolTooOld()
    {
        using var dir = new TempDir();
        var (cert, key) = CertFactory.WritePem(fixture.Pki.PublicLeaf(), dir.Path, "leaf", fixture.Pki.PublicIssuer);
        var port = Ports.FreeTcp();
        using var server = DaemonProcess.Start("openssl", ["s_server", "-accept", $"127.0.0.1:{port}", "-cert", cert, "-key", key,
            "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0", "-www", "-naccept", "10"]);
        server.WaitForTcpPort(port);

        var result = await Probe.RunAsync(Probe.Target("127.0.0.1", port), Settings(fixture.Squid.OpenProxy));

        Probe.AssertOutcome(result, Verdict.Fail, Phase.Tls, ReasonCode.TlsProtocolTooOld);
        Assert.Contains("TLS 1.1", result.Message);
    }

    [Fact]
    public async Task ProbeAsync_ProxyPortClosed_FailsProxyUnreachable()
    {
        var result = await Probe.RunAsync(Probe.Target("127.0.0.1", 443), Settings(new Uri($"http://127.0.0.1:{Ports.ClosedTcp()}")));

        Probe.AssertOutcome(result, Verdict.Fail, Phase.Proxy, ReasonCode.ProxyUnreachable);
        Assert.Contains("refused the connection", result.Message);
    }

    [Fact]
    public async Task ProbeAsync_TargetInNoProxyRange_GoesDirect()
    {
        using var server = LoopbackTlsServer.Answering(fixture.Pki.PublicLeaf(), fixture.Pki.PublicIssuer);
        var settings = Settings(fixture.Squid.AuthProxy) with { NoProxy = [".corp.test", "127.0.0.0/8"] };

        var result = await Probe.RunAsync(Probe.Target("127.0.0.1", server.Port), settings);

        Probe.AssertOutcome(result, Verdict.Pass, Phase.None, ReasonCode.Ok);
        Assert.True(result.Details.Proxy!.Bypassed);
        Assert.Equal($"127.0.0.1:{server.Port}", result.Details.ConnectedAddress);
    }
}
