using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Probes.Revocation;

namespace ArcBridgeDashboard.Probes.Catalog;

/// <summary>
/// Requirements the Arc resource bridge docs state outside the allowlist table. Their host patterns are placeholders
/// that <see cref="TargetExpander"/> fills from <see cref="ProbeSettings"/> (DNS servers, appliance VM and control-plane IPs).
/// </summary>
public static class ExtraRequirements
{
    public const string DnsServers = "<dns-servers>";
    public const string ApplianceVmIps = "<appliance-vm-ips>";
    public const string ControlPlaneIp = "<control-plane-ip>";
    public const string PrivateCloudAddress = "<private-cloud-address>";
    /// <summary>Revocation servers the chains seen in sweeps name: no target until an agent learns one (RevocationPlan).</summary>
    public const string CertificateChains = "<certificate-chains>";

    private const string DnsNote =
        "Arc resource bridge network requirements, DNS servers row (port 53): \"Network connectivity to the DNS servers specified during deployment to resolve required service endpoints.\"";
    private const string DirectNote =
        "Arc resource bridge network requirements: the management machine deploys and manages the appliance over SSH (22) and the Kubernetes API server (6443) on the appliance VM IPs and control plane IP; these addresses belong in the proxy's noProxy list, so this path must not go through the proxy.";

    public static IReadOnlyList<CatalogEndpoint> All { get; } =
    [
        Dns(TransportProtocol.Udp),
        Dns(TransportProtocol.Tcp),
        Direct(ApplianceVmIps, 22, "Appliance VM SSH"),
        Direct(ApplianceVmIps, 6443, "Appliance VM Kubernetes API"),
        Direct(ControlPlaneIp, 22, "Control plane SSH"),
        Direct(ControlPlaneIp, 6443, "Control plane Kubernetes API"),
        .. RevocationDefaults.Urls.Select(url => Revocation(new Uri(url).Host)),
        Revocation(CertificateChains),
    ];

    public static bool IsPlaceholder(string hostPattern) => hostPattern is DnsServers or ApplianceVmIps or ControlPlaneIp or PrivateCloudAddress or CertificateChains;

    /// <summary>The published allowlist's own words for a placeholder, for display.</summary>
    public static string Describe(string hostPattern) => hostPattern switch
    {
        DnsServers => "your DNS server IPs",
        ApplianceVmIps => "appliance VM IPs",
        ControlPlaneIp => "control plane IP",
        PrivateCloudAddress => "private cloud control plane address",
        CertificateChains => "revocation servers the certificate chains name",
        _ => hostPattern,
    };

    private static CatalogEndpoint Dns(TransportProtocol protocol) => new()
    {
        Service = "DNS servers",
        Port = 53,
        Protocol = protocol,
        HostPattern = DnsServers,
        Sources = Sources.ManagementMachine | Sources.ApplianceVm,
        Purpose = "Resolve the required service endpoints.",
        Origin = EndpointOrigin.ExtraRequirement,
        Note = DnsNote,
    };

    private const string RevocationNote =
        "Not in the allowlist table: the TLS clients Arc uses check certificate revocation (CRL and OCSP over plain HTTP on port 80) against the servers the chains name; when the proxy or firewall blocks them, deployments stall on timeouts that never say revocation. Required when a chain probed in the same sweep names the server.";

    /// <summary>A documented default revocation server: probed as not required until a chain of the sweep names it.</summary>
    private static CatalogEndpoint Revocation(string host) => new()
    {
        Service = RevocationPlan.Service,
        Port = RevocationDefaults.Port,
        Protocol = TransportProtocol.Tcp,
        HostPattern = host,
        Sources = Sources.ManagementMachine | Sources.ApplianceVm,
        Purpose = "Certificate revocation lists and OCSP for the public chains of Microsoft endpoints.",
        Origin = EndpointOrigin.ExtraRequirement,
        Note = RevocationNote,
    };

    private static CatalogEndpoint Direct(string placeholder, int port, string service) => new()
    {
        Service = service,
        Port = port,
        Protocol = TransportProtocol.Tcp,
        HostPattern = placeholder,
        Sources = Sources.ManagementMachine,
        Purpose = "Management machine reaches the appliance directly to deploy, upgrade and collect logs.",
        Origin = EndpointOrigin.ExtraRequirement,
        Note = DirectNote,
        BypassProxy = true,
    };
}
