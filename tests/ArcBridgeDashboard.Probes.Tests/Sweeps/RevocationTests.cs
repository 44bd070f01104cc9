using System.Net;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Probes.Sweeps;
using ArcBridgeDashboard.Probes.Tests.Support;
using ArcBridgeDashboard.Probes.Tests.Tls;

namespace ArcBridgeDashboard.Probes.Tests.Sweeps;

/// <summary>
/// Revocation servers learned from the chains a sweep sees: a leaf naming a CRL on 127.0.0.3 (which squid denies) and
/// an OCSP responder on 127.0.0.1 (which it allows), both real Kestrel servers handing out a real CRL.
/// </summary>
[Trait("Category", "Daemons")]
// One squid for the class: every squid started picks free ports, and fewer starts mean fewer port races with other classes.
public sealed class RevocationTests(LabPki pki, SquidRunner squid) : IClassFixture<LabPki>, IClassFixture<SquidRunner>
{
    [Fact]
    public async Task Sweep_ChainNamesCrlTheProxyDenies_RevocationRowFailsNamingTheEndpoint()
    {
        await using var denied = await CrlServer.StartAsync(SquidRunner.BlockedAddress, pki.PublicIssuer);
        await using var allowed = await CrlServer.StartAsync(IPAddress.Loopback, pki.PublicIssuer);
        await using var server = await HttpsServerNaming([denied.Url("/issuing.crl")], [allowed.Url("/ocsp")]);
        var settings = Probe.Settings() with { Proxy = squid.OpenProxy, ExpectedRoots = [pki.PublicRoot] };

        var results = await SweepAsync(settings, Probe.Target("127.0.0.1", server.Port));

        Assert.Equal(3, results.Count);
        var https = results.Single(r => r.Port == server.Port);
        Assert.True(https.Verdict == Verdict.Pass, https.Message);
        Assert.Equal([denied.Url("/issuing.crl")], https.Details.Tls!.Chain[0].CrlUrls);
        Assert.Equal([allowed.Url("/ocsp")], https.Details.Tls.Chain[0].OcspUrls);

        var blocked = results.Single(r => r.Host == SquidRunner.BlockedAddress.ToString());
        Probe.AssertOutcome(blocked, Verdict.Fail, Phase.Proxy, ReasonCode.RevocationBlocked);
        Assert.Equal(denied.Port, blocked.Port);
        Assert.True(blocked.Required);
        Assert.Contains($"127.0.0.1:{server.Port}", blocked.Message);
        Assert.Contains("403", blocked.Message);
        Assert.Equal(403, blocked.Details.Proxy!.StatusCode);
        Assert.Equal([$"127.0.0.1:{server.Port}"], blocked.Details.Revocation!.NeededBy);
        Assert.Empty(denied.Requests);

        var reachable = results.Single(r => r.Host == "127.0.0.1" && r.Port == allowed.Port);
        Assert.True(reachable.Verdict == Verdict.Pass, reachable.Message);
        Assert.Equal(ReasonCode.Ok, reachable.Reason);
        Assert.Contains("via the proxy", reachable.Message);
        Assert.Equal(200, reachable.Details.Revocation!.StatusCode);
        Assert.Equal(["/ocsp"], allowed.Requests);
    }

    [Fact]
    public async Task Sweep_CrlHostInNoProxy_GoesDirectAndPasses()
    {
        await using var crl = await CrlServer.StartAsync(SquidRunner.BlockedAddress, pki.PublicIssuer);
        await using var server = await HttpsServerNaming([crl.Url("/issuing.crl")], []);
        var settings = Probe.Settings() with
        {
            Proxy = squid.OpenProxy,
            NoProxy = [SquidRunner.BlockedAddress.ToString()],
            ExpectedRoots = [pki.PublicRoot],
        };

        var results = await SweepAsync(settings, Probe.Target("127.0.0.1", server.Port));

        var revocation = results.Single(r => r.Host == SquidRunner.BlockedAddress.ToString());
        Assert.True(revocation.Verdict == Verdict.Pass, revocation.Message);
        Assert.True(revocation.Details.Proxy!.Bypassed);
        Assert.Contains("directly", revocation.Message);
        Assert.Equal(["/issuing.crl"], crl.Requests);
    }

    [Fact]
    public async Task Sweep_CrlServerDown_DirectRevocationRowFailsAtTcp()
    {
        int port;
        await using (var gone = await CrlServer.StartAsync(IPAddress.Loopback, pki.PublicIssuer))
            port = gone.Port;
        await using var server = await HttpsServerNaming([$"http://127.0.0.1:{port}/issuing.crl"], []);

        var results = await SweepAsync(Probe.Settings() with { ExpectedRoots = [pki.PublicRoot] }, Probe.Target("127.0.0.1", server.Port));

        var revocation = results.Single(r => r.Port == port);
        Probe.AssertOutcome(revocation, Verdict.Fail, Phase.Tcp, ReasonCode.RevocationBlocked);
        Assert.Contains("refused", revocation.Message);
        Assert.Contains($"127.0.0.1:{server.Port}", revocation.Message);
    }

    [Fact]
    public async Task Sweep_CatalogRevocationTargetNoChainNames_ProbedOnceAndNotRequired()
    {
        await using var crl = await CrlServer.StartAsync(IPAddress.Loopback, pki.PublicIssuer);
        var target = Probe.Target("127.0.0.1", crl.Port, ProbeKind.Revocation) with { Required = false };

        var results = await SweepAsync(Probe.Settings(), target);

        var only = Assert.Single(results);
        Assert.True(only.Verdict == Verdict.Pass, only.Message);
        Assert.False(only.Required);
        Assert.Equal(target.Key, only.TargetKey);
        Assert.Contains("no chain seen in this sweep names it", only.Message);
        Assert.Equal(["/"], crl.Requests);
    }

    /// <summary>
    /// A catalog revocation server is fetched alongside the HTTPS probes (a blackholed one costs no second timeout at the
    /// end of the sweep), once, and its row still names the endpoint whose chain turns out to need it.
    /// </summary>
    [Fact]
    public async Task Sweep_CatalogRevocationTargetAChainNames_FetchedOnceAndRowNamesTheEndpointAndIsRequired()
    {
        await using var crl = await CrlServer.StartAsync(IPAddress.Loopback, pki.PublicIssuer);
        await using var server = await HttpsServerNaming([crl.Url("/issuing.crl")], []);
        var catalogTarget = Probe.Target("127.0.0.1", crl.Port, ProbeKind.Revocation) with { Required = false };

        var results = await SweepAsync(Probe.Settings() with { ExpectedRoots = [pki.PublicRoot] }, Probe.Target("127.0.0.1", server.Port), catalogTarget);

        Assert.Equal(2, results.Count);
        var revocation = results.Single(r => r.Port == crl.Port);
        Assert.True(revocation.Verdict == Verdict.Pass, revocation.Message);
        Assert.True(revocation.Required);
        Assert.Equal(catalogTarget.Key, revocation.TargetKey);
        Assert.Contains($"the certificate chains of 127.0.0.1:{server.Port} depend on it", revocation.Message);
        Assert.Equal([$"127.0.0.1:{server.Port}"], revocation.Details.Revocation!.NeededBy);
        Assert.Single(crl.Requests);
    }

    private Task<ArcEndpointServer> HttpsServerNaming(string[] crlUrls, string[] ocspUrls)
        => ArcEndpointServer.StartAsync(
            CertFactory.CreateLeaf(pki.PublicIssuer, ["127.0.0.1"], extensions: CertFactory.RevocationExtensions(crlUrls, ocspUrls)),
            [pki.PublicIssuer]);

    private static async Task<List<ProbeResult>> SweepAsync(ProbeSettings settings, params ProbeTarget[] targets)
    {
        var results = new List<ProbeResult>();
        await foreach (var result in new SweepRunner().RunAsync(targets, settings))
            results.Add(result);
        return results;
    }
}
