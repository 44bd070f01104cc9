using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ArcBridgeDashboard.Probes.Tls;

/// <summary>
/// PEM text to certificates, the one parser for roots as the dashboard stores them (Settings), as its plan hands them
/// to remote agents, and as `check`/`run` read them from files: so every side trusts exactly the same certificates.
/// </summary>
public static class PemCertificates
{
    public const string BeginMarker = "-----BEGIN CERTIFICATE-----";

    /// <summary>Zero or more certificates; throws <see cref="CryptographicException"/> when the text is not empty but holds none, or a block is bad.</summary>
    public static IReadOnlyList<X509Certificate2> Parse(string? pem)
    {
        if (string.IsNullOrWhiteSpace(pem))
            return [];
        var collection = new X509Certificate2Collection();
        collection.ImportFromPem(pem);
        if (collection.Count == 0)
            throw new CryptographicException("no CERTIFICATE block found");
        return [.. collection];
    }

    /// <summary>
    /// <paramref name="first"/> then those of <paramref name="second"/> not already in it (same thumbprint): a root
    /// configured in two places is one root. With nothing to add it returns <paramref name="first"/> itself, so a
    /// caller's long-lived list keeps its identity (<see cref="ExpectedRoots.With"/> caches by it).
    /// </summary>
    public static IReadOnlyList<X509Certificate2> Union(IReadOnlyList<X509Certificate2> first, IReadOnlyList<X509Certificate2> second)
        => second.Count == 0 ? first : [.. first.Concat(second).DistinctBy(c => c.Thumbprint, StringComparer.OrdinalIgnoreCase)];
}
