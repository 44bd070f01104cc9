namespace ArcBridgeDashboard.Agent.Check;

/// <summary>
/// Everything `check` accepts, as text so that every value is validated by <see cref="CheckSettingsBuilder"/> with an
/// error naming the option. Bound from the "Check" section (appsettings.json beside the exe, ARCBRIDGE_Check__*
/// environment variables); the command line wins, and a list given on the command line replaces the configured one.
/// </summary>
public sealed class CheckOptions
{
    public const string Section = "Check";

    public string? Role { get; set; }
    public string? Region { get; set; }
    /// <summary>AzureCloud (default) or AzureGovernment: which of the allowlist's tables is probed.</summary>
    public string? Cloud { get; set; }
    public string? Proxy { get; set; }
    public string? ProxyUser { get; set; }
    public string? ProxyPassword { get; set; }
    /// <summary>Comma-separated Arc noProxy list.</summary>
    public string? NoProxy { get; set; }
    public List<string> DnsServers { get; set; } = [];
    public List<string> TrustCa { get; set; } = [];
    public List<string> ExpectedRoots { get; set; } = [];
    /// <summary>PATTERN=HOST[,HOST] entries.</summary>
    public List<string> Wildcards { get; set; } = [];
    public string? Timeout { get; set; }
    public string? Format { get; set; }
    public string? Catalog { get; set; }
    public List<string> ApplianceVmIps { get; set; } = [];
    public string? ControlPlaneIp { get; set; }
    /// <summary>The private cloud's control plane (e.g. vCenter), host name or IP, checked directly on 443.</summary>
    public string? PrivateCloudAddress { get; set; }
    /// <summary>Arc gateway URL; the endpoints it covers are probed through it.</summary>
    public string? Gateway { get; set; }
    /// <summary>Registry whose blob redirect reveals the *.blob.core.windows.net host; "off" disables discovery.</summary>
    public string? BlobRegistry { get; set; }
    /// <summary>File to write the TLS-inspecting root to (one PEM certificate) when inspection is seen.</summary>
    public string? SaveInspectionRoot { get; set; }
    /// <summary>"off" leaves out the catalog's default revocation servers (those the chains name are still probed).</summary>
    public string? RevocationDefaults { get; set; }
}
