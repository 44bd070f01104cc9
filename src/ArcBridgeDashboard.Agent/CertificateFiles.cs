using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ArcBridgeDashboard.Probes.Tls;

namespace ArcBridgeDashboard.Agent;

/// <summary>
/// Root certificate files named by `check` and `run` (--trust-ca, --expected-root): one loader, so both verbs accept
/// the same files and refuse a bad one with the same one-line message.
/// </summary>
public static class CertificateFiles
{
    /// <summary>Every certificate in the file (PEM, bundles ok, or one DER certificate); a <see cref="UsageException"/> naming <paramref name="option"/> otherwise.</summary>
    public static List<X509Certificate2> Load(string option, string path)
    {
        try
        {
            var text = File.ReadAllText(path);
            if (text.Contains(PemCertificates.BeginMarker, StringComparison.Ordinal))
            {
                var certificates = PemCertificates.Parse(text);
                return certificates.Count > 0 ? [.. certificates] : throw new UsageException($"{option}: '{path}' holds no certificate");
            }
            return [X509CertificateLoader.LoadCertificateFromFile(path)];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            throw new UsageException($"{option}: cannot read certificate file '{path}': {ex.Message.ReplaceLineEndings(" ")}");
        }
    }

    /// <summary>All certificates of all <paramref name="paths"/>, each once (a root named twice is one root).</summary>
    public static IReadOnlyList<X509Certificate2> LoadAll(string option, IEnumerable<string> paths)
        => PemCertificates.Union([], [.. paths.Where(p => !string.IsNullOrWhiteSpace(p)).SelectMany(p => Load(option, p.Trim()))]);
}
