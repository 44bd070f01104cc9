using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ArcBridgeDashboard.Probes.Tls;

/// <summary>
/// The revocation URLs a certificate names: CRL distribution points and OCSP responders. Only http:// URLs are kept:
/// those are what must get through on port 80 (an ldap:// point is never fetched by the clients Arc uses).
/// </summary>
public static class CertificateUrls
{
    private const string CrlDistributionPointsOid = "2.5.29.31";
    private static readonly Asn1Tag FullName = new(TagClass.ContextSpecific, 0);
    private static readonly Asn1Tag Uri = new(TagClass.ContextSpecific, 6);

    public static IReadOnlyList<string> Ocsp(X509Certificate2 certificate)
    {
        try
        {
            var aia = certificate.Extensions.OfType<X509AuthorityInformationAccessExtension>().FirstOrDefault();
            return aia is null ? [] : [.. aia.EnumerateOcspUris().Where(IsHttp).Distinct(StringComparer.OrdinalIgnoreCase)];
        }
        catch (CryptographicException)
        {
            return []; // a malformed extension is the server's problem, not a reason to lose the rest of the evidence
        }
    }

    /// <summary>.NET has no reader for CRLDistributionPoints, so the few tags that hold URIs are walked here (RFC 5280 4.2.1.13).</summary>
    public static IReadOnlyList<string> Crl(X509Certificate2 certificate)
    {
        var extension = certificate.Extensions[CrlDistributionPointsOid];
        if (extension is null)
            return [];
        var urls = new List<string>();
        try
        {
            var points = new AsnReader(extension.RawData, AsnEncodingRules.DER).ReadSequence();
            while (points.HasData)
            {
                var point = points.ReadSequence();
                if (!point.HasData || !point.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0)))
                    continue;
                var name = point.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true));
                if (!name.HasData || !name.PeekTag().HasSameClassAndValue(FullName))
                    continue;
                var generalNames = name.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true));
                while (generalNames.HasData)
                {
                    if (generalNames.PeekTag().HasSameClassAndValue(Uri))
                        urls.Add(generalNames.ReadCharacterString(UniversalTagNumber.IA5String, Uri));
                    else
                        generalNames.ReadEncodedValue();
                }
            }
        }
        catch (AsnContentException)
        {
            // keep the URLs read before the bad part
        }
        return [.. urls.Where(IsHttp).Distinct(StringComparer.OrdinalIgnoreCase)];
    }

    private static bool IsHttp(string url) => url.StartsWith("http://", StringComparison.OrdinalIgnoreCase);
}
