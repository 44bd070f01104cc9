using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Probes.Proxy;

namespace ArcBridgeDashboard.Web.Configuration;

/// <summary>Turns validated dashboard settings (plus the stored password) into what the probe engine takes.</summary>
public static class ProbeSettingsMapper
{
    public static ProbeSettings ToProbeSettings(DashboardSettings s, string? proxyPassword, int maxParallelism) => new()
    {
        Region = s.Region,
        Cloud = s.Cloud,
        Proxy = string.IsNullOrWhiteSpace(s.ProxyUrl) ? null : new Uri(s.ProxyUrl),
        ProxyUser = string.IsNullOrWhiteSpace(s.ProxyUser) ? null : s.ProxyUser,
        ProxyPassword = string.IsNullOrEmpty(proxyPassword) ? null : proxyPassword,
        NoProxy = s.NoProxy,
        DnsServers = [.. s.DnsServers.Select(d => DashboardSettingsValidator.TryParseEndpoint(d, 53, out var ep) ? ep : throw new FormatException(d))],
        ExpectedRoots = string.IsNullOrWhiteSpace(s.ExpectedRootsPem) ? null : DashboardSettingsValidator.ParsePem(s.ExpectedRootsPem),
        TrustedRoots = DashboardSettingsValidator.ParsePem(s.TrustedRootsPem),
        WildcardOverrides = s.WildcardOverrides,
        ApplianceVmIps = s.ApplianceVmIps,
        ControlPlaneIp = string.IsNullOrWhiteSpace(s.ControlPlaneIp) ? null : s.ControlPlaneIp,
        PrivateCloudAddress = string.IsNullOrWhiteSpace(s.PrivateCloudAddress) ? null : s.PrivateCloudAddress.Trim(),
        Gateway = string.IsNullOrWhiteSpace(s.Gateway) ? null : ArcGateway.Parse(s.Gateway, out _),
        PhaseTimeout = TimeSpan.FromSeconds(s.PhaseTimeoutSeconds),
        NtpWarnOffset = TimeSpan.FromSeconds(s.NtpWarnSeconds),
        NtpFailOffset = TimeSpan.FromSeconds(s.NtpFailSeconds),
        MaxParallelism = maxParallelism,
    };
}
