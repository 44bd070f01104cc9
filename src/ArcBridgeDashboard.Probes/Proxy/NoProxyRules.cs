using System.Net;

namespace ArcBridgeDashboard.Probes.Proxy;

/// <summary>
/// Arc's noProxy list: an exact host name, a leading-dot domain (".contoso.com" matches every name below
/// contoso.com but not contoso.com itself, as in Go's httpproxy that Arc uses), an IP address, or a CIDR range.
/// '*' is not supported by Arc, so it is rejected rather than silently meaning "everything".
/// </summary>
public sealed class NoProxyRules
{
    private readonly HashSet<string> _hosts = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _suffixes = [];
    private readonly List<IPNetwork> _networks = [];

    private NoProxyRules() { }

    public static NoProxyRules Empty { get; } = new();

    /// <summary>Parses the entries; throws <see cref="FormatException"/> naming the bad entry.</summary>
    public static NoProxyRules Parse(IEnumerable<string> entries)
    {
        var rules = new NoProxyRules();
        foreach (var raw in entries.SelectMany(e => e.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            var entry = raw.Trim().ToLowerInvariant();
            if (entry.Contains('*'))
                throw new FormatException($"noProxy entry '{raw}' uses '*', which Arc does not support: list hosts, leading-dot domains (.contoso.com), IPs or CIDR ranges.");
            if (entry.Contains("://", StringComparison.Ordinal) || entry.Contains(' '))
                throw new FormatException($"noProxy entry '{raw}' is not a host, leading-dot domain, IP or CIDR range.");
            if (entry.Contains('/'))
            {
                if (!IPNetwork.TryParse(entry, out var network))
                    throw new FormatException($"noProxy entry '{raw}' is not a valid CIDR range (e.g. 10.0.0.0/8).");
                rules._networks.Add(network);
            }
            else if (IPAddress.TryParse(entry.Trim('[', ']'), out var ip))
                rules._networks.Add(new IPNetwork(ip, ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            else if (entry.StartsWith('.'))
            {
                if (entry.Length < 2)
                    throw new FormatException($"noProxy entry '{raw}' is an empty domain.");
                rules._suffixes.Add(entry);
            }
            else
                rules._hosts.Add(entry.TrimEnd('.'));
        }
        return rules;
    }

    /// <summary>
    /// Checks the proxy settings a probe depends on: an absolute http:// proxy URL (CONNECT is spoken in clear to the
    /// proxy, as Arc does) and a noProxy list without '*'. Throws <see cref="FormatException"/> naming the bad value.
    /// </summary>
    public static NoProxyRules Validate(Uri? proxy, IEnumerable<string> noProxy)
    {
        if (proxy is not null && (!proxy.IsAbsoluteUri || proxy.Scheme != Uri.UriSchemeHttp || string.IsNullOrEmpty(proxy.Host)))
            throw new FormatException($"Proxy '{proxy}' must be an http:// URL with a host and port, e.g. http://proxy.contoso.com:3128.");
        return Parse(noProxy);
    }

    /// <summary>True when <paramref name="host"/> (a name or an IP literal) should go direct, not through the proxy.</summary>
    public bool Bypasses(string host)
    {
        var h = host.Trim('[', ']').TrimEnd('.').ToLowerInvariant();
        if (IPAddress.TryParse(h, out var ip))
            return _networks.Any(n => n.Contains(ip)) || _hosts.Contains(h);
        return _hosts.Contains(h) || _suffixes.Any(s => h.EndsWith(s, StringComparison.Ordinal));
    }
}
