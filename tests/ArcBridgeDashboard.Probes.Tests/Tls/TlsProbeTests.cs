using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Probes.Tests.Support;
using ArcBridgeDashboard.Testing;

namespace ArcBridgeDashboard.Probes.Tests.Tls;

public sealed class TlsProbeTests(LabPki pki) : IClassFixture<LabPki>
{
    private ProbeSettings Settings(params System.Security.Cryptography.X509Certificates.X509Certificate2[] trusted)
        => Probe.Settings() with { ExpectedRoots = [pki.PublicRoot], TrustedRoots = trusted };

    [Fact]
    public async Task ProbeAsync_ChainToExpectedRoot_PassesAndRecordsChain()
    {
        var leaf = pki.PublicLeaf();
        using var server = LoopbackTlsServer.Answering(leaf, pki.PublicIssuer);

        var result = await Probe.RunAsync(Probe.Target("127.0.0.1", server.Port), Settings());

        Probe.AssertOutcome(result, Verdict.Pass, Phase.None, ReasonCode.Ok);
        Assert.Equal($"127.0.0.1:{server.Port} is reachable: HTTP 404 over HTTP/1.1, {result.Details.Tls!.Protocol}", result.Message);
        var tls = result.Details.Tls!;
        Assert.Contains(tls.Protocol, new[] { "TLS 1.2", "TLS 1.3" });
        Assert.False(string.IsNullOrEmpty(tls.Cipher));
        Assert.Equal("http/1.1", tls.Alpn);
        Assert.Equal(["CN=127.0.0.1", "CN=Lab Public TLS Issuing CA 01, O=ArcBridge Lab"], tls.Chain.Select(c => c.Subject));
        // Read inside the validation callback, before SslStream disposes its certificates: still the presented ones' own.
        Assert.Equal([Sha256(leaf), Sha256(pki.PublicIssuer)], tls.Chain.Select(c => c.Sha256));
        Assert.Equal(new DateTimeOffset(leaf.NotAfter.ToUniversalTime()), tls.Chain[0].NotAfter);
        Assert.Equal(pki.PublicIssuer.Subject, tls.Chain[0].Issuer);
        Assert.False(tls.Inspected);
        Assert.Equal(404, result.Details.Http!.StatusCode);
        Assert.Equal(LoopbackTlsServer.ServerHeader, result.Details.Http.Server);
        Assert.All(new[] { "tcp", "tls", "http", "total" }, k => Assert.True(result.TimingsMs.ContainsKey(k), k));
    }

    [Fact]
    public async Task ProbeAsync_InspectingRootTrustedButNotExpected_FailsTlsInspectedNamingIssuer()
    {
        var leaf = CertFactory.CreateLeaf(pki.InspectingRoot, ["127.0.0.1"]);
        using var server = LoopbackTlsServer.Answering(leaf);

        var result = await Probe.RunAsync(Probe.Target("127.0.0.1", server.Port), Settings(pki.InspectingRoot));

        Probe.AssertOutcome(result, Verdict.Fail, Phase.Tls, ReasonCode.TlsInspected);
        Assert.True(result.Details.Tls!.Inspected);
        Assert.Contains("Contoso Inspection CA", result.Details.Tls.InterceptingIssuer);
        Assert.Contains("Contoso Inspection CA", result.Message);
    }

    [Fact]
    public async Task ProbeAsync_UntrustedInspectingRoot_FailsTlsInspected()
    {
        var leaf = CertFactory.CreateLeaf(pki.InspectingRoot, ["127.0.0.1"]);
        using var server = LoopbackTlsServer.Answering(leaf);

        var result = await Probe.RunAsync(Probe.Target("127.0.0.1", server.Port), Settings());

        Probe.AssertOutcome(result, Verdict.Fail, Phase.Tls, ReasonCode.TlsInspected);
        Assert.Contains("Contoso Inspection CA", result.Details.Tls!.InterceptingIssuer);
    }

    [Fact]
    public async Task ProbeAsync_SelfSignedLeaf_FailsUntrustedRoot()
    {
        using var server = LoopbackTlsServer.Answering(CertFactory.CreateSelfSignedLeaf("127.0.0.1"));

        var result = await Probe.RunAsync(Probe.Target("127.0.0.1", server.Port), Settings());

        Probe.AssertOutcome(result, Verdict.Fail, Phase.Tls, ReasonCode.TlsUntrustedRoot);
    }

    [Fact]
    public async Task ProbeAsync_ExpiredLeaf_FailsCertificateExpired()
    {
        var leaf = pki.PublicLeaf(notBefore: DateTimeOffset.UtcNow.AddDays(-10), notAfter: DateTimeOffset.UtcNow.AddDays(-1));
        using var server = LoopbackTlsServer.Answering(leaf, pki.PublicIssuer);

        var result = await Probe.RunAsync(Probe.Target("127.0.0.1", server.Port), Settings());

        Probe.AssertOutcome(result, Verdict.Fail, Phase.Tls, ReasonCode.TlsCertificateExpired);
        Assert.Contains("clock", result.Remedy);
    }

    [Fact]
    public async Task ProbeAsync_NotYetValidLeaf_FailsCertificateNotYetValid()
    {
        var leaf = pki.PublicLeaf(notBefore: DateTimeOffset.UtcNow.AddDays(2), notAfter: DateTimeOffset.UtcNow.AddDays(30));
        using var server = LoopbackTlsServer.Answering(leaf, pki.PublicIssuer);

        var result = await Probe.RunAsync(Probe.Target("127.0.0.1", server.Port), Settings());

        Probe.AssertOutcome(result, Verdict.Fail, Phase.Tls, ReasonCode.TlsCertificateNotYetValid);
    }

    [Fact]
    public async Task ProbeAsync_CertificateForOtherName_FailsNameMismatch()
    {
        using var server = LoopbackTlsServer.Answering(pki.PublicLeaf("portal.contoso.test"), pki.PublicIssuer);

        var result = await Probe.RunAsync(Probe.Target("127.0.0.1", server.Port), Settings());

        Probe.AssertOutcome(result, Verdict.Fail, Phase.Tls, ReasonCode.TlsNameMismatch);
        Assert.Contains("portal.contoso.test", result.Message);
    }

    [Fact]
    public async Task ProbeAsync_PeerNeverSpeaksTls_FailsTlsTimeout()
    {
        using var peer = TcpPeer.Silent();

        var result = await Probe.RunAsync(Probe.Target("127.0.0.1", peer.Port), Probe.Settings(timeoutSeconds: 1) with { ExpectedRoots = [pki.PublicRoot] });

        Probe.AssertOutcome(result, Verdict.Fail, Phase.Tls, ReasonCode.TlsTimeout);
    }

    [Fact]
    public async Task ProbeAsync_PeerIsPlainHttp_FailsHandshakeFailed()
    {
        using var peer = TcpPeer.PlainHttp();

        var result = await Probe.RunAsync(Probe.Target("127.0.0.1", peer.Port), Settings());

        Probe.AssertOutcome(result, Verdict.Fail, Phase.Tls, ReasonCode.TlsHandshakeFailed);
    }

    [Fact]
    public async Task ProbeAsync_PeerResetsConnection_FailsTcpResetInTlsPhase()
    {
        using var peer = TcpPeer.Resetting();

        var result = await Probe.RunAsync(Probe.Target("127.0.0.1", peer.Port), Settings());

        Probe.AssertOutcome(result, Verdict.Fail, Phase.Tls, ReasonCode.TcpReset);
    }

    [Fact]
    [Trait("Category", "Daemons")]
    public async Task ProbeAsync_Tls11OnlyServer_FailsProtocolTooOld()
    {
        using var dir = new TempDir();
        var (cert, key) = CertFactory.WritePem(pki.PublicLeaf(), dir.Path, "leaf", pki.PublicIssuer);
        var port = Ports.FreeTcp();
        using var server = DaemonProcess.Start("openssl", ["s_server", "-accept", $"127.0.0.1:{port}", "-cert", cert, "-key", key,
            "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0", "-www", "-naccept", "10"]);
        server.WaitForTcpPort(port);

        var result = await Probe.RunAsync(Probe.Target("127.0.0.1", port), Settings());

        Probe.AssertOutcome(result, Verdict.Fail, Phase.Tls, ReasonCode.TlsProtocolTooOld);
    }

    private static string Sha256(System.Security.Cryptography.X509Certificates.X509Certificate2 cert)
        => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(cert.RawData));
}
