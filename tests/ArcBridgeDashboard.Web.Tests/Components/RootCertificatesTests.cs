using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ArcBridgeDashboard.Web.Components.Pages.Settings;
using ArcBridgeDashboard.Web.Configuration;
using Bunit;

namespace ArcBridgeDashboard.Web.Tests.Components;

/// <summary>Saved roots read as certificates (subject, issuer, expiry, fingerprint), not as base64.</summary>
public sealed class RootCertificatesTests : DashboardComponentTest
{
    [Fact]
    public void Render_SavedTrustedRoot_ShowsSubjectIssuerExpiryAndFingerprintNotBase64()
    {
        using var root = Root("CN=Contoso Proxy Root, O=Contoso", new DateTimeOffset(2031, 5, 1, 0, 0, 0, TimeSpan.Zero));
        var pem = root.ExportCertificatePem();
        var base64Line = pem.Split('\n')[1];

        var cut = Render<SettingsForm>(p => p
            .Add(c => c.Value, SettingsFormMapper.ToForm(new DashboardSettings { Region = "eastus", TrustedRootsPem = pem }))
            .Add(c => c.Validate, SettingsFormMapper.Validate));

        var summary = cut.Find("[data-testid=field-trusted-roots-summary]");
        var certificate = summary.QuerySelector("[data-testid=root-certificate]")!;
        Assert.Equal("CN=Contoso Proxy Root, O=Contoso", certificate.QuerySelector("[data-testid=root-subject]")!.TextContent);
        Assert.Contains("self-signed", certificate.TextContent);
        Assert.Equal("2031-05-01", certificate.QuerySelector("[data-testid=root-expires]")!.TextContent.Trim());
        Assert.Equal(Convert.ToHexString(SHA256.HashData(root.RawData)), certificate.QuerySelector("[data-testid=root-sha256]")!.TextContent);
        Assert.DoesNotContain(base64Line, summary.QuerySelector(".root-certificate")!.TextContent);
        Assert.Contains("None saved", cut.Find("[data-testid=field-expected-roots-summary]").TextContent);
    }

    [Fact]
    public void Render_ExpiredRootAndBrokenPaste_SaysExpiredThenPointsAtTheMessage()
    {
        using var old = Root("CN=Old Root", DateTimeOffset.UtcNow.AddDays(-1));
        var cut = Render<RootCertificates>(p => p
            .Add(c => c.Label, "Extra trusted roots").Add(c => c.TestId, "roots")
            .Add(c => c.Value, old.ExportCertificatePem()));

        Assert.Contains("expired", cut.Find("[data-testid=root-expires]").TextContent);

        cut.Render(p => p.Add(c => c.Value, "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----")
            .Add(c => c.Error, "Not a valid PEM certificate list: the CERTIFICATE block 1 could not be read"));

        Assert.Empty(cut.FindAll("[data-testid=root-certificate]"));
        Assert.Contains("could not be read", cut.Find("[data-testid=roots-none]").TextContent);
        Assert.Contains("the CERTIFICATE block 1 could not be read", cut.Markup);
    }

    private static X509Certificate2 Root(string subject, DateTimeOffset notAfter)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        return request.CreateSelfSigned(notAfter.AddYears(-2), notAfter);
    }
}
