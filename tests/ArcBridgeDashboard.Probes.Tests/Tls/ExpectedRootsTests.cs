using ArcBridgeDashboard.Probes.Tests.Support;
using ArcBridgeDashboard.Probes.Tls;

namespace ArcBridgeDashboard.Probes.Tests.Tls;

public sealed class ExpectedRootsTests
{
    [Fact]
    public void Default_ShippedRoots_AreTheMicrosoftEndpointRoots()
    {
        var subjects = ExpectedRoots.Default.Select(c => c.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.SimpleName, false)).ToList();

        Assert.Contains("DigiCert Global Root G2", subjects);
        Assert.Contains("DigiCert Global Root G3", subjects);
        Assert.Contains("DigiCert Global Root CA", subjects);
        Assert.Contains("Microsoft RSA Root Certificate Authority 2017", subjects);
        Assert.Contains("Microsoft ECC Root Certificate Authority 2017", subjects);
        Assert.All(ExpectedRoots.Default, c => Assert.Equal(c.SubjectName.Name, c.IssuerName.Name));
    }

    [Fact]
    public void With_ExtraRoot_AddsToShippedList()
    {
        var lab = CertFactory.CreateRoot("Lab Extra Root");

        var roots = ExpectedRoots.With([lab]);

        Assert.Equal(ExpectedRoots.Default.Count + 1, roots.Count);
        Assert.Contains(roots, r => r.Thumbprint == lab.Thumbprint);
        Assert.Same(ExpectedRoots.Default, ExpectedRoots.With(null));
    }
}
