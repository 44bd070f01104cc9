using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Probes.Tests.Support;
using ArcBridgeDashboard.Testing;

namespace ArcBridgeDashboard.Probes.Tests.Tls;

[Trait("Category", "Daemons")]
public sealed class SslBumpTests(LabPki pki) : IClassFixture<LabPki>
{
    [Fact]
    public async Task ProbeAsync_SquidSslBump_FailsTlsInspectedNamingSquidCa()
    {
        using var server = LoopbackTlsServer.Answering(pki.PublicLeaf(), pki.PublicIssuer);
        using var squid = new SslBumpSquidRunner(pki.InspectingRoot);
        var settings = Probe.Settings(timeoutSeconds: 8) with { Proxy = squid.Proxy, ExpectedRoots = [pki.PublicRoot] };

        var result = await Probe.RunAsync(Probe.Target("127.0.0.1", server.Port), settings);

        Probe.AssertOutcome(result, Verdict.Fail, Phase.Tls, ReasonCode.TlsInspected);
        Assert.True(result.Details.Tls!.Inspected);
        Assert.Contains("Contoso Inspection CA", result.Details.Tls.InterceptingIssuer);
        Assert.Equal(200, result.Details.Proxy!.StatusCode);
        // squid mimics the real server's certificate: same subject, different issuer
        Assert.Equal("CN=127.0.0.1", result.Details.Tls.Chain[0].Subject);
        Assert.Contains("Contoso Inspection CA", result.Details.Tls.Chain[0].Issuer);
    }

    [Fact]
    public async Task ProbeAsync_SquidSslBumpWithItsCaTrusted_StillFailsTlsInspected()
    {
        using var server = LoopbackTlsServer.Answering(pki.PublicLeaf(), pki.PublicIssuer);
        using var squid = new SslBumpSquidRunner(pki.InspectingRoot);
        var settings = Probe.Settings(timeoutSeconds: 8) with
        {
            Proxy = squid.Proxy,
            ExpectedRoots = [pki.PublicRoot],
            TrustedRoots = [pki.InspectingRoot],
        };

        var result = await Probe.RunAsync(Probe.Target("127.0.0.1", server.Port), settings);

        Probe.AssertOutcome(result, Verdict.Fail, Phase.Tls, ReasonCode.TlsInspected);
        Assert.Contains("--trust-ca", result.Message);
        // The one certificate to hand over is the inspecting root itself, not the re-signed leaf or a bundle.
        var root = result.Details.Tls!.InterceptingRoot!;
        Assert.Equal(pki.InspectingRoot.ExportCertificatePem(), root.Pem);
        Assert.Equal(pki.InspectingRoot.Subject, root.Subject);
        Assert.Equal(Convert.ToHexString(pki.InspectingRoot.GetCertHash(System.Security.Cryptography.HashAlgorithmName.SHA256)), root.Sha256);
    }
}
