using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ArcBridgeDashboard.Probes.Tls;

/// <summary>A PEM text that is not a list of certificates; <see cref="Block"/> says which block is broken, if one is.</summary>
public sealed class PemCertificateException(string message, int? block) : CryptographicException(message)
{
    /// <summary>1-based number of the broken CERTIFICATE block; null when the text holds none.</summary>
    public int? Block { get; } = block;
}

/// <summary>
/// PEM text to certificates, the one parser for roots as the dashboard stores them (Settings), as its plan hands them
/// to remote agents, and as `check`/`run` read them from files: so every side trusts exactly the same certificates.
/// </summary>
public static class PemCertificates
{
    public const string BeginMarker = "-----BEGIN CERTIFICATE-----";
    public const string EndMarker = "-----END CERTIFICATE-----";

    /// <summary>
    /// Zero or more certificates; a <see cref="PemCertificateException"/> when the text is not empty but holds no
    /// CERTIFICATE block, or when a block cannot be read. Blocks of other kinds (a private key) are skipped.
    /// </summary>
    /// <remarks>
    /// Each block is read on its own rather than by X509Certificate2Collection.ImportFromPem, which passes over a block
    /// whose base64 is damaged as if it were not there: a bundle would lose a root silently, and a single broken block
    /// was reported as "no CERTIFICATE block" while one was plainly pasted.
    /// </remarks>
    public static IReadOnlyList<X509Certificate2> Parse(string? pem)
    {
        if (string.IsNullOrWhiteSpace(pem))
            return [];
        var certificates = new List<X509Certificate2>();
        var block = 0;
        for (var begin = pem.IndexOf(BeginMarker, StringComparison.Ordinal); begin >= 0; begin = pem.IndexOf(BeginMarker, begin + 1, StringComparison.Ordinal))
        {
            block++;
            var body = begin + BeginMarker.Length;
            var end = pem.IndexOf(EndMarker, body, StringComparison.Ordinal);
            var next = pem.IndexOf(BeginMarker, body, StringComparison.Ordinal);
            if (end < 0 || (next >= 0 && next < end))
                throw Broken(block, $"it has no {EndMarker} line");
            byte[] der;
            try
            {
                der = Convert.FromBase64String(pem[body..end]);
            }
            catch (FormatException)
            {
                throw Broken(block, "its base64 text is damaged (a character is missing, extra or not base64)");
            }
            try
            {
                certificates.Add(X509CertificateLoader.LoadCertificate(der));
            }
            catch (CryptographicException ex)
            {
                throw Broken(block, $"it does not hold a certificate ({ex.Message.TrimEnd('.')}); part of it may be missing");
            }
        }
        return block == 0 ? throw new PemCertificateException("no CERTIFICATE block found", null) : certificates;
    }

    private static PemCertificateException Broken(int block, string reason) =>
        new($"the CERTIFICATE block {block} could not be read: {reason}", block);

    /// <summary>
    /// <paramref name="first"/> then those of <paramref name="second"/> not already in it (same thumbprint): a root
    /// configured in two places is one root. With nothing to add it returns <paramref name="first"/> itself, so a
    /// caller's long-lived list keeps its identity (<see cref="ExpectedRoots.With"/> caches by it).
    /// </summary>
    public static IReadOnlyList<X509Certificate2> Union(IReadOnlyList<X509Certificate2> first, IReadOnlyList<X509Certificate2> second)
        => second.Count == 0 ? first : [.. first.Concat(second).DistinctBy(c => c.Thumbprint, StringComparer.OrdinalIgnoreCase)];
}
