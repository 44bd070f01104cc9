using System.Reflection;
using System.Security.Cryptography.X509Certificates;

namespace ArcBridgeDashboard.Probes.Tls;

/// <summary>
/// The public roots the allowlisted endpoints chain to. A chain that ends anywhere else is treated as TLS inspection.
/// Shipped as PEM files (Tls/Roots, from Debian's ca-certificates):
/// DigiCert Global Root CA, G2 and G3 and TLS RSA4096/ECC P384 Root G5 (Azure, *.azurecr.io, mcr, login),
/// Microsoft RSA and ECC Root Certificate Authority 2017 (Azure's newer chains),
/// GlobalSign Root CA and Root CA - R3 (pypi.org / pythonhosted.org behind Fastly).
/// Baltimore CyberTrust Root is left out: it expired in May 2025 and Azure moved off it.
/// </summary>
public static class ExpectedRoots
{
    private static readonly Lazy<IReadOnlyList<X509Certificate2>> Shipped = new(Load);

    public static IReadOnlyList<X509Certificate2> Default => Shipped.Value;

    /// <summary>
    /// <see cref="Default"/> plus <paramref name="extra"/>: roots from --expected-root are ADDED to the shipped list,
    /// never replace it, so adding a private expected root cannot make a real Microsoft chain look inspected.
    /// </summary>
    public static IReadOnlyList<X509Certificate2> With(IReadOnlyList<X509Certificate2>? extra)
        => extra is null || extra.Count == 0
            ? Default
            : Default.Concat(extra).DistinctBy(c => c.Thumbprint).ToList();

    private static IReadOnlyList<X509Certificate2> Load()
    {
        var assembly = typeof(ExpectedRoots).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("ExpectedRoots/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n => Read(assembly, n))
            .ToList();
    }

    private static X509Certificate2 Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return X509Certificate2.CreateFromPem(reader.ReadToEnd());
    }
}
