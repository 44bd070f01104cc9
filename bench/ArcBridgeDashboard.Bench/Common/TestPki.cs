using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ArcBridgeDashboard.Bench.Common;

/// <summary>A bench-made root and a leaf for the given names and IPs, so probes validate a full chain without any real PKI.</summary>
public sealed class TestPki
{
    public required X509Certificate2 Root { get; init; }
    public required X509Certificate2 Leaf { get; init; }

    public static TestPki Create(IEnumerable<string> dnsNames, IEnumerable<IPAddress> addresses)
    {
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rootRequest = new CertificateRequest("CN=ArcBridge Bench Root", rootKey, HashAlgorithmName.SHA256);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        rootRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(rootRequest.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        using var root = rootRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));

        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest("CN=arcbridge-bench-endpoint", leafKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in dnsNames.Distinct(StringComparer.OrdinalIgnoreCase)) san.AddDnsName(name);
        foreach (var address in addresses) san.AddIpAddress(address);
        leafRequest.CertificateExtensions.Add(san.Build());
        leafRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        leafRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        leafRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(root, true, false));
        var serial = RandomNumberGenerator.GetBytes(12);
        using var leafPublic = leafRequest.Create(root, now.AddHours(-1), now.AddDays(7), serial);
        using var leafWithKey = leafPublic.CopyWithPrivateKey(leafKey);
        // Re-import through PKCS#12 so SslStream on Linux can use the private key.
        var leaf = X509CertificateLoader.LoadPkcs12(leafWithKey.Export(X509ContentType.Pkcs12), null);
        var rootPublic = X509CertificateLoader.LoadCertificate(root.Export(X509ContentType.Cert));
        return new TestPki { Root = rootPublic, Leaf = leaf };
    }

    public void WriteRootPem(string path) => File.WriteAllText(path, Root.ExportCertificatePem());
}
