using ArcBridgeDashboard.Probes.Contracts;

namespace ArcBridgeDashboard.Probes.Revocation;

/// <summary>One revocation server to fetch from, and the endpoints of this sweep whose chains name it.</summary>
public sealed record RevocationCheck(ProbeTarget Target, Uri Url, IReadOnlyList<string> NeededBy, bool FromDefaultList);

/// <summary>
/// Which revocation servers a sweep probes: the CRL and OCSP URLs of every chain its HTTPS probes saw, plus the
/// revocation targets it was given (the default list in the catalog), one check per host:port.
/// </summary>
public static class RevocationPlan
{
    /// <summary>The endpoint key of a revocation server no catalog endpoint lists, learned from a chain.</summary>
    public const string ChainEndpointKey = "<certificate-chains>:80/tcp";
    public const string Service = "Certificate revocation (CRL/OCSP)";

    public static IReadOnlyList<RevocationCheck> Build(IReadOnlyList<ProbeTarget> given, IEnumerable<ProbeResult> results)
    {
        // host:port → the first URL seen for it (a real CRL path beats the default one) and who needs it.
        var learned = new SortedDictionary<string, (Uri Url, SortedSet<string> NeededBy, Sources Sources)>(StringComparer.Ordinal);
        foreach (var result in results)
        {
            foreach (var certificate in result.Details.Tls?.Chain ?? [])
            {
                foreach (var text in certificate.CrlUrls.Concat(certificate.OcspUrls))
                {
                    if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttp)
                        continue;
                    var key = Key(url.Host, url.Port);
                    if (!learned.TryGetValue(key, out var entry))
                        learned[key] = entry = (url, new SortedSet<string>(StringComparer.Ordinal), Sources.None);
                    entry.NeededBy.Add($"{result.Host}:{result.Port}");
                    learned[key] = entry with { Sources = entry.Sources | result.Sources };
                }
            }
        }

        var checks = new List<RevocationCheck>();
        foreach (var target in given.Where(t => t.Host is not null))
        {
            var key = Key(target.Host!, target.Port);
            if (learned.Remove(key, out var entry))
                checks.Add(new RevocationCheck(target with { Required = true }, entry.Url, [.. entry.NeededBy], false));
            else
                checks.Add(new RevocationCheck(target, UrlFor(target), [], RevocationDefaults.IsDefaultHost(target.Host!)));
        }
        foreach (var (_, entry) in learned)
        {
            // A default server keeps its catalog key even when its own target was not due in this sweep, so the
            // dashboard files the row under the endpoint it already knows.
            var isDefault = entry.Url.Port == RevocationDefaults.Port && RevocationDefaults.IsDefaultHost(entry.Url.Host);
            var target = new ProbeTarget
            {
                EndpointKey = isDefault ? $"{entry.Url.Host.ToLowerInvariant()}:{RevocationDefaults.Port}/tcp" : ChainEndpointKey,
                Service = Service,
                HostPattern = entry.Url.Host,
                Host = entry.Url.Host,
                Port = entry.Url.Port,
                Protocol = TransportProtocol.Tcp,
                Kind = ProbeKind.Revocation,
                Sources = entry.Sources,
                Required = true,
                ExpansionNote = "named by a certificate chain seen in this sweep",
            };
            checks.Add(new RevocationCheck(target, entry.Url, [.. entry.NeededBy], false));
        }
        return checks;
    }

    /// <summary>Names the endpoints whose chains depend on the server, so a blocked row says what it breaks.</summary>
    public static string Describe(RevocationCheck check)
    {
        if (check.NeededBy.Count == 0)
            return check.FromDefaultList
                ? "on the default list of Microsoft and DigiCert revocation servers; no chain seen in this sweep names it"
                : "no chain seen in this sweep names it";
        var shown = string.Join(", ", check.NeededBy.Take(5));
        return $"the certificate chains of {shown}{(check.NeededBy.Count > 5 ? $" and {check.NeededBy.Count - 5} more" : "")} depend on it";
    }

    /// <summary>
    /// A server probed early, alone (see <see cref="SweepRunner"/>), told afterwards who needs it: the same fetch, with
    /// the check's target (required once a chain names it) and its list of dependent endpoints in the message.
    /// </summary>
    public static ProbeResult Attribute(ProbeResult early, RevocationCheck alone, RevocationCheck check) => early with
    {
        EndpointKey = check.Target.EndpointKey,
        TargetKey = check.Target.Key,
        Sources = check.Target.Sources,
        Required = check.Target.Required,
        Message = early.Message.Replace(Describe(alone), Describe(check), StringComparison.Ordinal),
        Details = early.Details with { Revocation = early.Details.Revocation! with { NeededBy = check.NeededBy } },
    };

    /// <summary>A revocation target probed on its own: its default URL, no chain known to need it.</summary>
    public static RevocationCheck Alone(ProbeTarget target)
        => new(target, UrlFor(target), [], target.Host is not null && RevocationDefaults.IsDefaultHost(target.Host));

    private static Uri UrlFor(ProbeTarget target)
    {
        var url = RevocationDefaults.UrlFor(target.Host!);
        return url.Port == target.Port ? url : new UriBuilder(url) { Port = target.Port }.Uri;
    }

    public static string Key(string host, int port) => $"{host.ToLowerInvariant()}:{port}";
}
