using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Probes.Tests.Support;
using ArcBridgeDashboard.Probes.Tests.Tls;
using ArcBridgeDashboard.Testing;

namespace ArcBridgeDashboard.Probes.Tests.Proxy;

/// <summary>
/// Real squid and real tinyproxy, both resolving through one real dnsmasq on 127.0.0.1:53: ok.test has an address,
/// missing.test is NXDOMAIN, and names outside .test (mcr.microsoft.com) are REFUSED, as a DNS server without
/// recursion for the proxy answers.
/// </summary>
public sealed class ProxyDnsFixture : IDisposable
{
    public ProxyDnsFixture()
    {
        Dns = DnsmasqRunner.LabZoneOnPort53();
        try
        {
            Squid = new SquidRunner();
            Tinyproxy = new TinyproxyRunner();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public DnsmasqRunner Dns { get; }
    public SquidRunner Squid { get; } = null!;
    public TinyproxyRunner Tinyproxy { get; } = null!;
    public LabPki Pki { get; } = new();

    public Uri ProxyFor(string name) => name == "squid" ? Squid.OpenProxy : Tinyproxy.Proxy;

    public void Dispose()
    {
        Tinyproxy?.Dispose();
        Squid?.Dispose();
        Dns.Dispose();
    }
}

[Trait("Category", "Daemons")]
public sealed class ProxyDnsTests(ProxyDnsFixture fixture) : IClassFixture<ProxyDnsFixture>
{
    public static TheoryData<string> Proxies => ["squid", "tinyproxy"];

    /// <summary>Our own DNS setting is the proxies' dnsmasq: the cross-check asks what the proxy asked.</summary>
    private ProbeSettings Settings(string proxy) => Probe.Settings(fixture.Dns.EndPoint, timeoutSeconds: 5) with
    {
        Proxy = fixture.ProxyFor(proxy),
        ExpectedRoots = [fixture.Pki.PublicRoot],
    };

    [Theory]
    [MemberData(nameof(Proxies))]
    public async Task ProbeAsync_NameTheProxyResolves_Passes(string proxy)
    {
        using var server = LoopbackTlsServer.Answering(fixture.Pki.PublicLeaf("ok.test"), fixture.Pki.PublicIssuer);

        var result = await Probe.RunAsync(Probe.Target("ok.test", server.Port), Settings(proxy));

        Probe.AssertOutcome(result, Verdict.Pass, Phase.None, ReasonCode.Ok);
        Assert.Equal(200, result.Details.Proxy!.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Proxies))]
    public async Task ProbeAsync_MissingNameThroughProxy_FailsDnsAtTheProxyNxDomain(string proxy)
    {
        var result = await Probe.RunAsync(Probe.Target("missing.test", 443), Settings(proxy));

        Probe.AssertOutcome(result, Verdict.Fail, Phase.Dns, ReasonCode.ProxyDnsNxDomain);
        Assert.StartsWith("DNS at the proxy: missing.test:443 does not exist (NXDOMAIN)", result.Message);
        Assert.Contains($"{fixture.Dns.EndPoint} answers NXDOMAIN for missing.test", result.Message);
        Assert.Contains("DNS", result.Remedy);
        Assert.DoesNotContain("supports CONNECT", result.Remedy);
        Assert.Equal("NXDOMAIN", result.Details.Proxy!.DnsCheck!.ResponseCode);
        Assert.Null(result.Details.Dns); // our own lookup never ran: the proxy host is an address
        AssertProxyWords(proxy, result.Details.Proxy, "ERR_CANNOT_FORWARD 0", "Unable to forward this request at this time.");
    }

    [Theory]
    [MemberData(nameof(Proxies))]
    public async Task ProbeAsync_RefusedNameThroughProxy_FailsDnsAtTheProxyRefused(string proxy)
    {
        var result = await Probe.RunAsync(Probe.Target("mcr.microsoft.com", 443), Settings(proxy));

        Probe.AssertOutcome(result, Verdict.Fail, Phase.Dns, ReasonCode.ProxyDnsRefused);
        Assert.StartsWith("DNS at the proxy: the DNS server refused to resolve mcr.microsoft.com:443 (REFUSED)", result.Message);
        Assert.Contains("recursion for the proxy on its DNS server", result.Remedy);
        Assert.Equal("REFUSED", result.Details.Proxy!.DnsCheck!.ResponseCode);
        AssertProxyWords(proxy, result.Details.Proxy, "ERR_CANNOT_FORWARD 0", "Unable to forward this request at this time.");
    }

    [Theory]
    [MemberData(nameof(Proxies))]
    public async Task ProbeAsync_ProxyResolvesButCannotConnect_FailsProxyUpstreamFailed(string proxy)
    {
        var result = await Probe.RunAsync(Probe.Target("ok.test", Ports.ClosedTcp()), Settings(proxy));

        Probe.AssertOutcome(result, Verdict.Fail, Phase.Proxy, ReasonCode.ProxyUpstreamFailed);
        Assert.DoesNotContain("DNS at the proxy", result.Message);
        if (proxy == "squid")
        {
            Assert.Equal(503, result.Details.Proxy!.StatusCode);
            Assert.Equal("X-Squid-Error: ERR_CONNECT_FAIL 111", result.Details.Proxy.ErrorHeader);
            Assert.Contains("Connection refused", result.Details.Proxy.BodyExcerpt);
            Assert.Null(result.Details.Proxy.DnsCheck); // squid said connect: nothing to cross-check
        }
        else
        {
            // tinyproxy words a closed port exactly as a missing name; the cross-check finds the name resolves.
            Assert.Contains("Unable to connect", result.Details.Proxy!.BodyExcerpt);
            Assert.Equal(["127.0.0.1"], result.Details.Proxy.DnsCheck!.Addresses);
            Assert.Contains("resolves ok.test to 127.0.0.1, so the proxy could not connect", result.Message);
        }
    }

    [Fact]
    public async Task ProbeAsync_NoDnsServersGivenSquidCannotResolve_FailsDnsAtTheProxyOnSquidsWords()
    {
        var settings = Settings("squid") with { DnsServers = [] };

        var result = await Probe.RunAsync(Probe.Target("missing.test", 443), settings);

        Probe.AssertOutcome(result, Verdict.Fail, Phase.Dns, ReasonCode.ProxyDnsFailed);
        Assert.StartsWith("DNS at the proxy: the proxy could not resolve missing.test:443", result.Message);
        Assert.Contains("the proxy found no address to forward to", result.Message);
        Assert.Contains("DNS servers the proxy uses", result.Remedy);
        Assert.Equal("X-Squid-Error: ERR_CANNOT_FORWARD 0", result.Details.Proxy!.ErrorHeader);
        Assert.Null(result.Details.Proxy.DnsCheck);
    }

    [Fact]
    public async Task ProbeAsync_NoDnsServersGivenTinyproxyCannotResolve_SaysItCannotTellDnsFromConnect()
    {
        var settings = Settings("tinyproxy") with { DnsServers = [] };

        var result = await Probe.RunAsync(Probe.Target("missing.test", 443), settings);

        Probe.AssertOutcome(result, Verdict.Fail, Phase.Proxy, ReasonCode.ProxyUpstreamFailed);
        Assert.Contains("does not tell a failed lookup from a failed connection", result.Message);
        Assert.Equal("HTTP/1.1 500 Unable to connect", result.Details.Proxy!.StatusLine);
    }

    private static void AssertProxyWords(string proxy, ProxyDetails details, string squidError, string squidLine)
    {
        Assert.Equal(500, details.StatusCode);
        if (proxy == "squid")
        {
            Assert.Equal($"X-Squid-Error: {squidError}", details.ErrorHeader);
            Assert.Contains(squidLine, details.BodyExcerpt);
            Assert.StartsWith("squid/", details.Server);
        }
        else
        {
            Assert.Null(details.ErrorHeader);
            Assert.Equal("HTTP/1.1 500 Unable to connect", details.StatusLine);
            Assert.StartsWith("Unable to connect | Tinyproxy was unable to connect to the remote web server.", details.BodyExcerpt);
            Assert.StartsWith("tinyproxy/", details.Server);
        }
        Assert.True(details.BodyExcerpt!.Length <= 400);
        Assert.DoesNotContain('<', details.BodyExcerpt);
    }
}
