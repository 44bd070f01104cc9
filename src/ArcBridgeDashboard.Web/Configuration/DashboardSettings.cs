using ArcBridgeDashboard.Probes.Contracts;

namespace ArcBridgeDashboard.Web.Configuration;

/// <summary>
/// Settings the operator edits in the UI, persisted in the database. The proxy password is never part of this
/// shape: reads expose <see cref="HasProxyPassword"/>, writes pass <see cref="NewProxyPassword"/>.
/// </summary>
public sealed record DashboardSettings
{
    public string Region { get; init; } = "eastus";
    /// <summary>Which cloud's allowlist table is probed (settings saved before this field existed read as Azure Cloud).</summary>
    public Cloud Cloud { get; init; } = Cloud.AzureCloud;
    public string? ProxyUrl { get; init; }
    public string? ProxyUser { get; init; }
    /// <summary>Read only: whether a password is stored.</summary>
    public bool HasProxyPassword { get; init; }
    /// <summary>Write only: null keeps the stored password, "" clears it, anything else replaces it.</summary>
    public string? NewProxyPassword { get; init; }
    /// <summary>
    /// Whether remote agents' plans carry the proxy password. Off by default: a plan is JSON an agent host keeps on
    /// disk, so the password leaves the dashboard only when the operator decides the agents need it.
    /// </summary>
    public bool SendProxyPasswordToAgents { get; init; }
    public IReadOnlyList<string> NoProxy { get; init; } = [];
    /// <summary>"ip" or "ip:port" entries.</summary>
    public IReadOnlyList<string> DnsServers { get; init; } = [];
    public int IntervalMinutes { get; init; } = 5;
    public int PhaseTimeoutSeconds { get; init; } = 5;
    public IReadOnlyDictionary<string, string> WildcardOverrides { get; init; } = new Dictionary<string, string>();
    public string ExpectedRootsPem { get; init; } = "";
    public string TrustedRootsPem { get; init; } = "";
    public IReadOnlyList<string> ApplianceVmIps { get; init; } = [];
    public string? ControlPlaneIp { get; init; }
    /// <summary>The private cloud's control plane (e.g. vCenter) as a host name or IP: reached directly on 443.</summary>
    public string? PrivateCloudAddress { get; init; }
    /// <summary>Arc gateway URL (https://&lt;prefix&gt;.gw.arc.azure.com); null: no gateway.</summary>
    public string? Gateway { get; init; }
    public int NtpWarnSeconds { get; init; } = 60;
    public int NtpFailSeconds { get; init; } = 1800;

    /// <summary>Whether changing from <paramref name="other"/> to this changes which targets the catalog expands to.</summary>
    public bool ChangesTargets(DashboardSettings other) =>
        !string.Equals(Region, other.Region, StringComparison.OrdinalIgnoreCase)
        || Cloud != other.Cloud
        || !string.Equals(PrivateCloudAddress, other.PrivateCloudAddress, StringComparison.OrdinalIgnoreCase)
        || !WildcardOverrides.OrderBy(p => p.Key).SequenceEqual(other.WildcardOverrides.OrderBy(p => p.Key))
        || !ApplianceVmIps.SequenceEqual(other.ApplianceVmIps)
        || ControlPlaneIp != other.ControlPlaneIp
        || !DnsServers.SequenceEqual(other.DnsServers);
}

/// <summary>One validation message for one field (field names match <see cref="DashboardSettings"/> properties).</summary>
public sealed record SettingsError(string Field, string Message);
