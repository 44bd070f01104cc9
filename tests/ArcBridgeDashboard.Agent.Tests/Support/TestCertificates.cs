using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ArcBridgeDashboard.Agent.Tests.Support;

/// <summary>A lab root and a loopback server certificate it signed, made fresh for each test run.</summary>
internal sealed class TestCertificates : IDisposable
{
    public TestCertificates()
    {
        using var rootKey = RSA.Create(2048);
        var rootRequest = new CertificateRequest("CN=ArcBridge Test Lab Root", rootKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        rootRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(rootRequest.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        Root = rootRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));

        using var leafKey = RSA.Create(2048);
        var leafRequest = new CertificateRequest("CN=127.0.0.1", leafKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        leafRequest.CertificateExtensions.Add(san.Build());
        leafRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        leafRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var signed = leafRequest.Create(Root, now.AddHours(-1), now.AddDays(30), RandomNumberGenerator.GetBytes(12));
        using var withKey = signed.CopyWithPrivateKey(leafKey);
        // Re-import so SslStream gets a persisted-style key on every platform.
        Server = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pfx, "t"), "t");
    }

    public X509Certificate2 Root { get; }
    public X509Certificate2 Server { get; }

    public string WriteRootPem(string directory)
    {
        var path = Path.Combine(directory, "lab-root.pem");
        File.WriteAllText(path, Root.ExportCertificatePem());
        return path;
    }

    public void Dispose()
    {
        Root.Dispose();
        Server.Dispose();
    }
}
