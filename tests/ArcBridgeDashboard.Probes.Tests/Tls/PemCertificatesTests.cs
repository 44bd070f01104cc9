using ArcBridgeDashboard.Probes.Tests.Support;
using ArcBridgeDashboard.Probes.Tls;

namespace ArcBridgeDashboard.Probes.Tests.Tls;

/// <summary>What an operator pasting roots is told: which block is broken, or that there is no block at all.</summary>
public sealed class PemCertificatesTests
{
    private static readonly string First = CertFactory.CreateRoot("Pem Test Root One").ExportCertificatePem();
    private static readonly string Second = CertFactory.CreateRoot("Pem Test Root Two").ExportCertificatePem();

    [Fact]
    public void Parse_NoBlockAtAll_SaysThereIsNone()
    {
        var error = Assert.Throws<PemCertificateException>(() => PemCertificates.Parse("MIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBa"));

        Assert.Equal("no CERTIFICATE block found", error.Message);
        Assert.Null(error.Block);
    }

    [Fact]
    public void Parse_SecondBlockWithDamagedBase64_NamesThatBlockNotAMissingOne()
    {
        var damaged = Second.Replace(Second.Split('\n')[2], "this line is not base64!", StringComparison.Ordinal);

        var error = Assert.Throws<PemCertificateException>(() => PemCertificates.Parse(First + "\n" + damaged));

        Assert.StartsWith("the CERTIFICATE block 2 could not be read: its base64 text is damaged", error.Message);
        Assert.Equal(2, error.Block);
        Assert.DoesNotContain("no CERTIFICATE block", error.Message);
    }

    [Fact]
    public void Parse_BlockWithALineMissing_SaysItCouldNotBeRead()
    {
        var lines = First.Split('\n').ToList();
        lines.RemoveAt(3); // a whole 64-character line: still valid base64, no longer a certificate

        var error = Assert.Throws<PemCertificateException>(() => PemCertificates.Parse(string.Join('\n', lines)));

        Assert.StartsWith("the CERTIFICATE block 1 could not be read: it does not hold a certificate", error.Message);
    }

    [Fact]
    public void Parse_BlockWithoutEndLine_SaysSo()
    {
        var cut = First[..First.IndexOf(PemCertificates.EndMarker, StringComparison.Ordinal)];

        var error = Assert.Throws<PemCertificateException>(() => PemCertificates.Parse(cut + "\n" + Second));

        Assert.Equal("the CERTIFICATE block 1 could not be read: it has no -----END CERTIFICATE----- line", error.Message);
    }

    [Fact]
    public void Parse_BundleWithAKeyBlockAndText_ReadsEveryCertificateInOrder()
    {
        var bundle = "Root one:\n" + First + "\n-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n" + Second;

        var certificates = PemCertificates.Parse(bundle);

        Assert.Equal(["CN=Pem Test Root One, O=ArcBridge Lab", "CN=Pem Test Root Two, O=ArcBridge Lab"], certificates.Select(c => c.Subject));
        Assert.Empty(PemCertificates.Parse("  \n"));
    }
}
