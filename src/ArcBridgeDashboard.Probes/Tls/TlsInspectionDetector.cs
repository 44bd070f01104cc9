using System.Security.Cryptography.X509Certificates;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Probes.Sweeps;

namespace ArcBridgeDashboard.Probes.Tls;

/// <summary>What the presented chain says about the path: inspected, untrusted, out of date, or for another name.</summary>
public sealed record ChainAssessment(bool Inspected, string? InterceptingIssuer, string? ValidationErrors, PhaseFault? Fault,
    InterceptingRoot? InterceptingRoot = null);

/// <summary>
/// Builds the presented chain against expected ∪ trusted roots (never the machine store, never downloading
/// intermediates) and decides whether someone in the path re-signed it. Order matters: interception is the
/// root cause, so it wins over expiry or name errors on the re-signed certificate.
/// </summary>
public static class TlsInspectionDetector
{
    /// <summary>The chain policy both the handshake and <see cref="Assess(X509Certificate2, X509Certificate2Collection, string, IReadOnlyList{X509Certificate2}, IReadOnlyList{X509Certificate2}, DateTimeOffset)"/> build with.</summary>
    public static X509ChainPolicy Policy(IReadOnlyList<X509Certificate2> expectedRoots, IReadOnlyList<X509Certificate2> trustedRoots, DateTimeOffset now)
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
            DisableCertificateDownloads = true,
            VerificationTime = now.UtcDateTime,
        };
        policy.CustomTrustStore.AddRange(expectedRoots.Concat(trustedRoots).ToArray());
        return policy;
    }

    /// <summary>Builds the chain of <paramref name="leaf"/> from the <paramref name="presented"/> certificates, then assesses it.</summary>
    public static ChainAssessment Assess(X509Certificate2 leaf, X509Certificate2Collection presented, string host,
        IReadOnlyList<X509Certificate2> expectedRoots, IReadOnlyList<X509Certificate2> trustedRoots, DateTimeOffset now)
    {
        using var chain = new X509Chain { ChainPolicy = Policy(expectedRoots, trustedRoots, now) };
        chain.ChainPolicy.ExtraStore.AddRange(presented);
        chain.Build(leaf);
        return Assess(chain, leaf, host, expectedRoots, trustedRoots, now);
    }

    /// <summary>Assesses a chain already built with <see cref="Policy"/> (the handshake's own, so it is built only once).</summary>
    public static ChainAssessment Assess(X509Chain chain, X509Certificate2 leaf, string host,
        IReadOnlyList<X509Certificate2> expectedRoots, IReadOnlyList<X509Certificate2> trustedRoots, DateTimeOffset now)
    {

        var errors = chain.ChainStatus.Length == 0 ? null
            : string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
        var top = chain.ChainElements[^1].Certificate;
        var topIsRoot = IsSelfSigned(top);
        var isExpected = topIsRoot && Contains(expectedRoots, top);
        var isTrusted = topIsRoot && Contains(trustedRoots, top);

        if (chain.ChainElements.Count == 1 && topIsRoot && !isExpected && !isTrusted)
            return new(false, null, errors, new PhaseFault(ReasonCode.TlsUntrustedRoot,
                $"self-signed certificate \"{leaf.Subject}\" (SHA-256 {Sha256(leaf)})"));

        if (!isExpected)
        {
            var issuer = topIsRoot ? top.Subject : top.Issuer;
            var how = isTrusted ? "trusted via --trust-ca but not an expected public root"
                : topIsRoot ? "a root that is neither expected nor trusted" : "an issuer that is not an expected public root";
            // Only a root the path presented can be handed over; an issuer we never saw stays a name.
            var root = topIsRoot ? new InterceptingRoot { Subject = top.Subject, Sha256 = Sha256(top), Pem = top.ExportCertificatePem() } : null;
            return new(true, issuer, errors, new PhaseFault(ReasonCode.TlsInspected, $"the chain is signed by \"{issuer}\", {how}"), root);
        }

        var utcNow = now.UtcDateTime;
        foreach (var element in chain.ChainElements)
        {
            var cert = element.Certificate;
            if (cert.NotAfter.ToUniversalTime() < utcNow)
                return new(false, null, errors, new PhaseFault(ReasonCode.TlsCertificateExpired,
                    $"\"{cert.Subject}\" expired {cert.NotAfter.ToUniversalTime():u}, this machine's clock says {utcNow:u}"));
            if (cert.NotBefore.ToUniversalTime() > utcNow)
                return new(false, null, errors, new PhaseFault(ReasonCode.TlsCertificateNotYetValid,
                    $"\"{cert.Subject}\" is valid from {cert.NotBefore.ToUniversalTime():u}, this machine's clock says {utcNow:u}"));
        }

        if (!leaf.MatchesHostname(host.Trim('[', ']')))
            return new(false, null, errors, new PhaseFault(ReasonCode.TlsNameMismatch,
                $"the certificate is for {Names(leaf)}, not {host}"));

        if (chain.ChainStatus.Any(s => s.Status != X509ChainStatusFlags.NoError))
            return new(false, null, errors, new PhaseFault(ReasonCode.TlsUntrustedRoot, errors ?? "the chain does not validate"));

        return new(false, null, null, null);
    }

    public static string Sha256(X509Certificate2 cert)
        => Convert.ToHexString(cert.GetCertHash(System.Security.Cryptography.HashAlgorithmName.SHA256));

    // Same certificate ⇔ same DER bytes: a byte compare instead of hashing every root on every probe.
    private static bool Contains(IReadOnlyList<X509Certificate2> roots, X509Certificate2 cert)
    {
        var raw = cert.RawDataMemory.Span;
        foreach (var root in roots)
            if (root.RawDataMemory.Span.SequenceEqual(raw))
                return true;
        return false;
    }

    private static bool IsSelfSigned(X509Certificate2 cert) => cert.SubjectName.RawData.AsSpan().SequenceEqual(cert.IssuerName.RawData);

    private static string Names(X509Certificate2 cert)
    {
        var san = cert.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        var names = san?.EnumerateDnsNames().Concat(san.EnumerateIPAddresses().Select(i => i.ToString())).ToList() ?? [];
        return names.Count > 0 ? string.Join(", ", names) : $"\"{cert.Subject}\"";
    }
}
