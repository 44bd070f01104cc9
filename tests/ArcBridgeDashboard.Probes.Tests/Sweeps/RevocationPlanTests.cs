using ArcBridgeDashboard.Probes.Catalog;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Probes.Revocation;

namespace ArcBridgeDashboard.Probes.Tests.Sweeps;

public sealed class RevocationPlanTests
{
    private static ProbeResult Https(string host, params string[] crlUrls) => new()
    {
        EndpointKey = $"{host}:443/tcp", TargetKey = $"{host}:443/tcp", Service = "s", Host = host, Port = 443,
        Protocol = TransportProtocol.Tcp, Sources = Sources.ApplianceVm, Verdict = Verdict.Pass, Phase = Phase.None,
        Reason = ReasonCode.Ok, Message = "",
        Details = new ProbeDetails { Tls = new TlsDetails { Chain = [new CertificateSummary { Subject = "CN=x", Issuer = "CN=y", Sha256 = "00", CrlUrls = crlUrls }] } },
    };

    [Fact]
    public void Build_DefaultServerNamedByChainsButNotDue_KeepsItsCatalogKeyAndBecomesRequired()
    {
        var catalogTarget = TargetExpander.Expand(DefaultCatalog.Load().Endpoints, new ProbeSettings())
            .Single(t => t.Host == "crl3.digicert.com");

        var checks = RevocationPlan.Build([], [Https("mcr.microsoft.com", "http://crl3.digicert.com/DigiCertGlobalG2TLSRSASHA2562020CA1-1.crl"),
            Https("management.azure.com", "http://crl3.digicert.com/DigiCertGlobalG2TLSRSASHA2562020CA1-1.crl")]);

        var check = Assert.Single(checks);
        Assert.Equal(catalogTarget.EndpointKey, check.Target.EndpointKey);
        Assert.Equal(catalogTarget.Key, check.Target.Key);
        Assert.Equal(ProbeKind.Revocation, catalogTarget.Kind);
        Assert.False(catalogTarget.Required);
        Assert.True(check.Target.Required);
        Assert.Equal(["management.azure.com:443", "mcr.microsoft.com:443"], check.NeededBy);
        Assert.Equal("/DigiCertGlobalG2TLSRSASHA2562020CA1-1.crl", check.Url.AbsolutePath);
    }

    [Fact]
    public void Build_LdapAndDuplicateUrls_OneCheckPerHttpHostAndPort()
    {
        var checks = RevocationPlan.Build([], [Https("a.test", "ldap://dir.test/cn=crl", "http://crl.pki.test/a.crl", "http://crl.pki.test/b.crl", "http://crl.pki.test:8080/c.crl")]);

        Assert.Equal(["crl.pki.test:80/tcp", "crl.pki.test:8080/tcp"], checks.Select(c => c.Target.Key));
        Assert.All(checks, c => Assert.Equal(RevocationPlan.ChainEndpointKey, c.Target.EndpointKey));
    }
}
