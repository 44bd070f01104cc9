using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ArcBridgeDashboard.EndToEnd.Tests.Agents;

/// <summary>A test-made root and the dashboard's HTTPS certificate for one IP, as a corporate PKI would issue.</summary>
public sealed class DashboardCertificate : IDisposable
{
    public const string PfxPassword = "e2e";

    private DashboardCertificate(X509Certificate2 root, X509Certificate2 server)
    {
        Root = root;
        Server = server;
    }

    public X509Certificate2 Root { get; }
    public X509Certificate2 Server { get; }

    public static DashboardCertificate Create(IPAddress address)
    {
        var now = DateTimeOffset.UtcNow;
        using var rootKey = RSA.Create(2048);
        var rootRequest = new CertificateRequest("CN=ArcBridge E2E Corporate Root", rootKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var root = rootRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));

        using var leafKey = RSA.Create(2048);
        var leafRequest = new CertificateRequest($"CN={address}", leafKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(address);
        leafRequest.CertificateExtensions.Add(san.Build());
        leafRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        leafRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var signed = leafRequest.Create(root, now.AddHours(-1), now.AddDays(30), RandomNumberGenerator.GetBytes(12));
        using var withKey = signed.CopyWithPrivateKey(leafKey);
        var server = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pfx, PfxPassword), PfxPassword);
        return new DashboardCertificate(root, server);
    }

    public string WritePfx(string folder)
    {
        var path = Path.Combine(folder, "dashboard.pfx");
        File.WriteAllBytes(path, Server.Export(X509ContentType.Pfx, PfxPassword));
        return path;
    }

    public string WriteRootPem(string folder)
    {
        var path = Path.Combine(folder, "corporate-root.pem");
        File.WriteAllText(path, Root.ExportCertificatePem());
        return path;
    }

    public void Dispose()
    {
        Root.Dispose();
        Server.Dispose();
    }
}
