namespace ArcBridgeDashboard.Probes.Revocation;

/// <summary>
/// The CRL and OCSP servers of the public chains Microsoft endpoints present (DigiCert and Microsoft's own PKI), probed
/// even when no chain of a sweep names them. All plain HTTP on port 80: a proxy that allows only CONNECT to 443 blocks them.
/// </summary>
public static class RevocationDefaults
{
    public const int Port = 80;

    public static IReadOnlyList<string> Urls { get; } =
    [
        "http://crl3.digicert.com/DigiCertGlobalRootG2.crl",
        "http://crl4.digicert.com/DigiCertGlobalRootG2.crl",
        "http://ocsp.digicert.com/",
        "http://www.microsoft.com/pkiops/crl/Microsoft%20RSA%20Root%20Certificate%20Authority%202017.crl",
        "http://oneocsp.microsoft.com/ocsp",
    ];

    /// <summary>The default URL of <paramref name="host"/>, or its root when it is not on the list.</summary>
    public static Uri UrlFor(string host)
        => new(Urls.FirstOrDefault(u => string.Equals(new Uri(u).Host, host, StringComparison.OrdinalIgnoreCase)) ?? $"http://{host}/");

    public static bool IsDefaultHost(string host) => Urls.Any(u => string.Equals(new Uri(u).Host, host, StringComparison.OrdinalIgnoreCase));
}
