using System.Net;
using System.Net.Sockets;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Probes.Tests.Support;
using ArcBridgeDashboard.Testing;

namespace ArcBridgeDashboard.Probes.Tests.Dns;

public sealed class DnsmasqFixture : IDisposable
{
    public DnsmasqRunner Dns { get; } = DnsmasqRunner.LabZone();

    public void Dispose() => Dns.Dispose();
}

[Trait("Category", "Daemons")]
public sealed class DnsProbeTests(DnsmasqFixture fixture) : IClassFixture<DnsmasqFixture>
{
    private ProbeSettings Settings => Probe.Settings(fixture.Dns.EndPoint);

    [Fact]
    public async Task ProbeAsync_NameWithARecord_ResolvesAndConnects()
    {
        using var peer = TcpPeer.Silent();

        var result = await Probe.RunAsync(Probe.Target("ok.test", peer.Port, ProbeKind.TcpDirect), Settings);

        Probe.AssertOutcome(result, Verdict.Pass, Phase.None, ReasonCode.Ok);
        Assert.Equal(["127.0.0.1"], result.Details.Dns!.Addresses);
        Assert.Equal("NOERROR", result.Details.Dns.ResponseCode);
        Assert.Contains(fixture.Dns.Port.ToString(), result.Details.Dns.Server);
        Assert.True(result.TimingsMs.ContainsKey("dns"));
    }

    [Fact]
    public async Task ProbeAsync_CnameChain_RecordsEveryStep()
    {
        using var peer = TcpPeer.Silent();

        var result = await Probe.RunAsync(Probe.Target("alias.test", peer.Port, ProbeKind.TcpDirect), Settings);

        Probe.AssertOutcome(result, Verdict.Pass, Phase.None, ReasonCode.Ok);
        Assert.Equal(["alias.test", "mid.test", "ok.test"], result.Details.Dns!.CnameChain);
        Assert.Equal(["127.0.0.1"], result.Details.Dns.Addresses);
    }

    [Fact]
    public async Task ProbeAsync_UnknownNameInLocalZone_FailsNxDomain()
    {
        var result = await Probe.RunAsync(Probe.Target("missing.test", 443), Settings);

        Probe.AssertOutcome(result, Verdict.Fail, Phase.Dns, ReasonCode.DnsNxDomain);
        Assert.Equal("NXDOMAIN", result.Details.Dns!.ResponseCode);
    }

    [Fact]
    public async Task ProbeAsync_NameWithoutUpstream_FailsRefused()
    {
        var result = await Probe.RunAsync(Probe.Target("mcr.microsoft.com", 443), Settings);

        Probe.AssertOutcome(result, Verdict.Fail, Phase.Dns, ReasonCode.DnsRefused);
    }

    [Fact]
    public async Task ProbeAsync_ValidatingResolverGetsUnsignedAnswer_FailsServFail()
    {
        // A DNSSEC-validating dnsmasq in front of an unsigned one: the answer is BOGUS, which resolvers report as SERVFAIL.
        using var upstream = new DnsmasqRunner("--host-record=w.broken.test,127.0.0.1", "--local=/test/");
        using var validating = new DnsmasqRunner("--dnssec", "--dnssec-check-unsigned",
            "--trust-anchor=.,20326,8,2,E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D",
            $"--server=127.0.0.1#{upstream.Port}");

        var result = await Probe.RunAsync(Probe.Target("w.broken.test", 443), Probe.Settings(validating.EndPoint));

        Probe.AssertOutcome(result, Verdict.Fail, Phase.Dns, ReasonCode.DnsServFail);
        Assert.Equal("SERVFAIL", result.Details.Dns!.ResponseCode);
    }

    [Fact]
    public async Task ProbeAsync_NameWithoutAddressRecords_FailsNoAddress()
    {
        var result = await Probe.RunAsync(Probe.Target("txt.test", 443), Settings);

        Probe.AssertOutcome(result, Verdict.Fail, Phase.Dns, ReasonCode.DnsNoAddress);
        Assert.Equal("NOERROR", result.Details.Dns!.ResponseCode);
    }

    [Fact]
    public async Task ProbeAsync_HttpsByName_SendsSniAndPasses()
    {
        var pki = new Tls.LabPki();
        using var server = LoopbackTlsServer.Answering(pki.PublicLeaf("ok.test"), pki.PublicIssuer);

        var result = await Probe.RunAsync(Probe.Target("ok.test", server.Port), Settings with { ExpectedRoots = [pki.PublicRoot] });

        Probe.AssertOutcome(result, Verdict.Pass, Phase.None, ReasonCode.Ok);
        Assert.Equal("ok.test", server.LastServerName);
        Assert.All(new[] { "dns", "tcp", "tls", "http", "total" }, k => Assert.True(result.TimingsMs.ContainsKey(k), k));
    }

    [Fact]
    public async Task ProbeAsync_LocalDomain_WarnsDnsLocalName()
    {
        using var peer = TcpPeer.Silent();

        var result = await Probe.RunAsync(Probe.Target("arc.local", peer.Port, ProbeKind.TcpDirect), Settings);

        Probe.AssertOutcome(result, Verdict.Warn, Phase.Dns, ReasonCode.DnsLocalName);
        Assert.Equal(["127.0.0.1"], result.Details.Dns!.Addresses);
    }

    [Fact]
    public async Task ProbeAsync_NameWithOnlyIpv6_ResolvesAaaa()
    {
        var result = await Probe.RunAsync(Probe.Target("v6.test", Ports.ClosedTcp(), ProbeKind.TcpDirect), Settings);

        Assert.Equal(["::1"], result.Details.Dns!.Addresses);
        Assert.Equal(Phase.Tcp, result.Phase);
    }

    [Fact]
    public async Task ProbeAsync_DnsKindAgainstDnsmasq_PassesOverUdpAndTcp()
    {
        var target = Probe.Target("127.0.0.1", fixture.Dns.Port, ProbeKind.Dns);

        var result = await Probe.RunAsync(target, Settings with { DnsCheckName = "ok.test" });

        Probe.AssertOutcome(result, Verdict.Pass, Phase.None, ReasonCode.Ok);
        Assert.Contains("UDP and TCP", result.Message);
    }

    [Fact]
    public async Task ProbeAsync_DnsKindServerWithoutRecursion_FailsRefused()
    {
        var target = Probe.Target("127.0.0.1", fixture.Dns.Port, ProbeKind.Dns);

        var result = await Probe.RunAsync(target, Settings);

        Probe.AssertOutcome(result, Verdict.Fail, Phase.Dns, ReasonCode.DnsRefused);
        Assert.Contains("mcr.microsoft.com", result.Message);
    }
}

public sealed class DnsTimeoutTests
{
    [Fact]
    public async Task ProbeAsync_ServerNeverAnswers_FailsDnsTimeout()
    {
        using var silent = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        silent.Bind(new IPEndPoint(IPAddress.Loopback, 0));

        var result = await Probe.RunAsync(Probe.Target("ok.test", 443), Probe.Settings((IPEndPoint)silent.LocalEndPoint!, timeoutSeconds: 1));

        Probe.AssertOutcome(result, Verdict.Fail, Phase.Dns, ReasonCode.DnsTimeout);
    }

    [Fact]
    public async Task ProbeAsync_DnsKindSilentServer_FailsDnsTimeout()
    {
        using var silent = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        silent.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)silent.LocalEndPoint!).Port;

        var result = await Probe.RunAsync(Probe.Target("127.0.0.1", port, ProbeKind.Dns), Probe.Settings(timeoutSeconds: 1));

        Probe.AssertOutcome(result, Verdict.Fail, Phase.Dns, ReasonCode.DnsTimeout);
    }
}
