using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ArcBridgeDashboard.Probes.Tests.Support;

/// <summary>Makes the lab's PKI: roots, intermediates and leaves with chosen names and validity.</summary>
public static class CertFactory
{
    public static X509Certificate2 CreateRoot(string commonName, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={commonName}, O=ArcBridge Lab", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(notBefore ?? DateTimeOffset.UtcNow.AddDays(-30), notAfter ?? DateTimeOffset.UtcNow.AddYears(5));
    }

    public static X509Certificate2 CreateIntermediate(X509Certificate2 issuer, string commonName)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={commonName}, O=ArcBridge Lab", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        using var cert = request.Create(issuer, DateTimeOffset.UtcNow.AddDays(-20), DateTimeOffset.UtcNow.AddYears(3), Serial());
        return cert.CopyWithPrivateKey(key);
    }

    /// <summary>A server certificate for <paramref name="names"/> (DNS names or IP literals).</summary>
    public static X509Certificate2 CreateLeaf(X509Certificate2 issuer, string[] names, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null,
        IEnumerable<X509Extension>? extensions = null)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={names[0]}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in names)
        {
            if (IPAddress.TryParse(name, out var ip))
                san.AddIpAddress(ip);
            else
                san.AddDnsName(name);
        }
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        foreach (var extension in extensions ?? [])
            request.CertificateExtensions.Add(extension);
        var from = notBefore ?? DateTimeOffset.UtcNow.AddDays(-1);
        var to = notAfter ?? DateTimeOffset.UtcNow.AddDays(90);
        // A child may not outlive its issuer in CertificateRequest.Create; clamp rather than fail.
        if (to > issuer.NotAfter) to = issuer.NotAfter.AddMinutes(-1);
        if (from < issuer.NotBefore) from = issuer.NotBefore.AddMinutes(1);
        using var cert = request.Create(issuer, from, to, Serial());
        return cert.CopyWithPrivateKey(key);
    }

    /// <summary>The extensions that make a certificate name its revocation servers: CRL distribution points and an OCSP responder.</summary>
    public static X509Extension[] RevocationExtensions(IReadOnlyList<string> crlUrls, IReadOnlyList<string> ocspUrls) =>
    [
        CertificateRevocationListBuilder.BuildCrlDistributionPointExtension(crlUrls),
        .. ocspUrls.Count == 0 ? Array.Empty<X509Extension>() : [new X509AuthorityInformationAccessExtension(ocspUrls, null)],
    ];

    public static X509Certificate2 CreateSelfSignedLeaf(string name)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        if (IPAddress.TryParse(name, out var ip)) san.AddIpAddress(ip); else san.AddDnsName(name);
        request.CertificateExtensions.Add(san.Build());
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }

    /// <summary>Writes certificate and key as PEM files for openssl s_server.</summary>
    public static (string CertPath, string KeyPath) WritePem(X509Certificate2 cert, string directory, string name, params X509Certificate2[] chain)
    {
        var certPath = Path.Combine(directory, name + ".crt");
        var keyPath = Path.Combine(directory, name + ".key");
        File.WriteAllText(certPath, string.Concat(new[] { cert }.Concat(chain).Select(c => c.ExportCertificatePem() + "\n")));
        File.WriteAllText(keyPath, cert.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem());
        return (certPath, keyPath);
    }

    private static byte[] Serial() => RandomNumberGenerator.GetBytes(12);
}
