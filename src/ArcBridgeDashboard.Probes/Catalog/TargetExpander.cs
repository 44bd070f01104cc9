using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Probes.Revocation;

namespace ArcBridgeDashboard.Probes.Catalog;

/// <summary>
/// Turns catalog endpoints into concrete probe targets for a region; unexpandable wildcards become "needs a hostname"
/// targets (Host = null), never dropped. Precedence per pattern: settings.WildcardOverrides, then a discovered host
/// (blob redirect), then the built-in rule in <see cref="WildcardRules"/>.
/// </summary>
public static class TargetExpander
{
    /// <summary>Stands for the configured region in a published host ("&lt;region&gt;.login.microsoftonline.us").</summary>
    public const string RegionToken = "<region>";

    public static IReadOnlyList<ProbeTarget> Expand(IEnumerable<CatalogEndpoint> endpoints, ProbeSettings settings)
        => Expand(endpoints, settings, discovered: null);

    /// <param name="discovered">Wildcard pattern → host found at run time (see <see cref="BlobEndpointDiscovery"/>).</param>
    public static IReadOnlyList<ProbeTarget> Expand(IEnumerable<CatalogEndpoint> endpoints, ProbeSettings settings, IReadOnlyDictionary<string, string>? discovered)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(settings);
        var targets = new List<ProbeTarget>();
        foreach (var endpoint in endpoints.Where(e => e.Cloud == settings.Cloud))
        {
            foreach (var (host, note) in Hosts(endpoint, settings, discovered))
                targets.Add(ToTarget(endpoint, host, note));
        }
        return targets;
    }

    private static IEnumerable<(string? Host, string Note)> Hosts(CatalogEndpoint endpoint, ProbeSettings settings, IReadOnlyDictionary<string, string>? discovered)
    {
        var pattern = endpoint.HostPattern;
        if (ExtraRequirements.IsPlaceholder(pattern))
            return Placeholder(pattern, settings);
        if (!endpoint.IsWildcard && !pattern.Contains(RegionToken, StringComparison.Ordinal))
            return [(pattern, "as published")];
        if (Lookup(settings.WildcardOverrides, pattern) is { } overridden)
            return SplitHosts(overridden).Select(h => ((string?)h, "override"));
        if (discovered?.Values.FirstOrDefault(h => Matches(pattern, h)) is { } found)
            return [(found.ToLowerInvariant(), "discovered from registry redirect")];
        if (!endpoint.IsWildcard)
        {
            var region = settings.Region.Trim().ToLowerInvariant();
            return [(pattern.Replace(RegionToken, region, StringComparison.Ordinal), $"region {region}")];
        }
        return WildcardRules.Expand(pattern, settings.Region);
    }

    private static IEnumerable<(string? Host, string Note)> Placeholder(string pattern, ProbeSettings settings)
    {
        switch (pattern)
        {
            case ExtraRequirements.DnsServers when settings.DnsServers.Count > 0:
                return settings.DnsServers.Select(s => ((string?)s.ToString(), "configured DNS server"));
            case ExtraRequirements.DnsServers:
                return [(null, "needs a hostname: no DNS server configured (--dns-server); the system resolver is still used by every HTTPS probe")];
            case ExtraRequirements.ApplianceVmIps when settings.ApplianceVmIps.Count > 0:
                return settings.ApplianceVmIps.Select(ip => ((string?)ip, "configured appliance VM IP"));
            case ExtraRequirements.ApplianceVmIps:
                return [(null, "needs a hostname: no appliance VM IP configured (--appliance-vm-ip)")];
            case ExtraRequirements.ControlPlaneIp when !string.IsNullOrWhiteSpace(settings.ControlPlaneIp):
                return [(settings.ControlPlaneIp, "configured control-plane IP")];
            case ExtraRequirements.ControlPlaneIp:
                return [(null, "needs a hostname: no control-plane IP configured (--control-plane-ip)")];
            case ExtraRequirements.CertificateChains:
                return []; // learned from chains during sweeps, not expanded from settings
            case ExtraRequirements.PrivateCloudAddress when !string.IsNullOrWhiteSpace(settings.PrivateCloudAddress):
                return [(settings.PrivateCloudAddress.Trim().ToLowerInvariant(), "configured private cloud address")];
            default:
                return [(null, "needs a hostname: no private cloud control plane address configured (--private-cloud-address)")];
        }
    }

    private static ProbeTarget ToTarget(CatalogEndpoint endpoint, string? host, string note)
    {
        // A DNS server endpoint is written "ip:port" by IPEndPoint; the target carries host and port apart.
        var port = endpoint.Port;
        if (host is not null && endpoint.HostPattern == ExtraRequirements.DnsServers && System.Net.IPEndPoint.TryParse(host, out var dns))
        {
            host = dns.Address.ToString();
            port = dns.Port == 0 ? endpoint.Port : dns.Port;
        }
        var kind = KindOf(endpoint);
        return new ProbeTarget
        {
            EndpointKey = endpoint.Key,
            Service = endpoint.Service,
            HostPattern = endpoint.HostPattern,
            Host = host,
            Port = port,
            Protocol = endpoint.Protocol,
            Kind = kind,
            Sources = endpoint.Sources,
            // A default revocation server is required only once a chain names it (see RevocationPlan).
            Required = kind != ProbeKind.Revocation,
            BypassProxy = endpoint.BypassProxy,
            ExpansionNote = note,
            PostOverHttp2 = ProtocolNeeds.Http2Post(endpoint.HostPattern, host),
            WebSocketUpgrade = ProtocolNeeds.WebSocket(endpoint.HostPattern, host),
        };
    }

    /// <summary>The allowlist's only UDP requirement is NTP; every TCP row is HTTPS ("All HTTP connections use HTTPS") except port 80, which only revocation servers use.</summary>
    private static ProbeKind KindOf(CatalogEndpoint endpoint) => endpoint.HostPattern switch
    {
        ExtraRequirements.DnsServers => ProbeKind.Dns,
        ExtraRequirements.ApplianceVmIps or ExtraRequirements.ControlPlaneIp or ExtraRequirements.PrivateCloudAddress => ProbeKind.TcpDirect,
        _ when endpoint.BypassProxy => ProbeKind.TcpDirect,
        _ when endpoint.Port == RevocationDefaults.Port && endpoint.Protocol == TransportProtocol.Tcp => ProbeKind.Revocation,
        _ => endpoint.Protocol == TransportProtocol.Udp ? ProbeKind.Ntp : ProbeKind.Https,
    };

    private static string? Lookup(IReadOnlyDictionary<string, string> map, string pattern)
    {
        foreach (var (key, value) in map)
        {
            if (string.Equals(key.Trim(), pattern, StringComparison.OrdinalIgnoreCase) && !string.IsNullOrWhiteSpace(value))
                return value;
        }
        return null;
    }

    /// <summary>Whether a discovered host is one the wildcard allows: "*.blob.core.windows.net" matches "acct.blob.core.windows.net".</summary>
    private static bool Matches(string pattern, string host)
        => pattern.StartsWith("*.", StringComparison.Ordinal)
           && host.EndsWith(pattern[1..], StringComparison.OrdinalIgnoreCase)
           && host.Length > pattern.Length - 1;

    /// <summary>An override may name several hosts: "gbl.his.arc.azure.com,weu.his.arc.azure.com".</summary>
    private static IEnumerable<string> SplitHosts(string value)
        => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(h => h.ToLowerInvariant());
}
