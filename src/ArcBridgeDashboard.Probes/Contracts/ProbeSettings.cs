using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace ArcBridgeDashboard.Probes.Contracts;

/// <summary>
/// Everything a sweep needs to know about the network it runs in. The agent builds it from the command line
/// and configuration, the dashboard from its persisted settings.
/// </summary>
public sealed record ProbeSettings
{
    /// <summary>Azure region used to expand wildcards (eastus, westeurope, ...).</summary>
    public string Region { get; init; } = "eastus";

    /// <summary>Which cloud's endpoints are probed (the allowlist has an Azure Cloud and an Azure Government table).</summary>
    public Cloud Cloud { get; init; } = Cloud.AzureCloud;

    /// <summary>
    /// Arc gateway URL (https://&lt;prefix&gt;.gw.arc.azure.com). Set: HTTPS targets the gateway covers
    /// (<see cref="Proxy.ArcGateway.Covers"/>) are probed through it, after the enterprise proxy when there is one.
    /// </summary>
    public Uri? Gateway { get; init; }

    /// <summary>Explicit HTTP proxy, e.g. http://proxy.corp:3128. Null: go direct.</summary>
    public Uri? Proxy { get; init; }
    public string? ProxyUser { get; init; }
    public string? ProxyPassword { get; init; }
    /// <summary>Arc noProxy entries: host names, leading-dot domains, IP addresses and CIDR ranges; no '*'.</summary>
    public IReadOnlyList<string> NoProxy { get; init; } = [];

    /// <summary>DNS servers to ask. Empty: the system resolvers.</summary>
    public IReadOnlyList<IPEndPoint> DnsServers { get; init; } = [];

    /// <summary>The name a Dns-kind probe asks the configured DNS server for (over UDP and TCP).</summary>
    public string DnsCheckName { get; init; } = "mcr.microsoft.com";

    /// <summary>Extra trusted roots for private PKI (--trust-ca).</summary>
    public IReadOnlyList<X509Certificate2> TrustedRoots { get; init; } = [];
    /// <summary>Public roots Microsoft endpoints are expected to chain to, ADDED to the shipped list (ExpectedRoots.Default); null: the shipped list only.</summary>
    public IReadOnlyList<X509Certificate2>? ExpectedRoots { get; init; }

    /// <summary>Wildcard pattern to concrete host, overriding the built-in expansion.</summary>
    public IReadOnlyDictionary<string, string> WildcardOverrides { get; init; } = new Dictionary<string, string>();

    /// <summary>Appliance VM IPs the management machine must reach directly on TCP 22 and 6443.</summary>
    public IReadOnlyList<string> ApplianceVmIps { get; init; } = [];
    /// <summary>Control-plane IP the management machine must reach directly on TCP 22 and 6443.</summary>
    public string? ControlPlaneIp { get; init; }

    /// <summary>
    /// The private cloud's control-plane address (e.g. the VMware vCenter): the management machine and the appliance
    /// VMs reach it directly on 443. A host name or IP address; null: that inbound check needs a hostname.
    /// </summary>
    public string? PrivateCloudAddress { get; init; }

    /// <summary>Timeout for each phase of a probe.</summary>
    public TimeSpan PhaseTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan NtpWarnOffset { get; init; } = TimeSpan.FromSeconds(60);
    public TimeSpan NtpFailOffset { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Clock skew against HTTPS servers' Date headers that warns (1 s resolution, so minutes, not seconds).</summary>
    public TimeSpan ClockWarnOffset { get; init; } = TimeSpan.FromMinutes(5);
    /// <summary>Arc's own limit: "Max allowed difference is 30m0s".</summary>
    public TimeSpan ClockFailOffset { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>How many targets a sweep probes at once.</summary>
    public int MaxParallelism { get; init; } = 32;
}
