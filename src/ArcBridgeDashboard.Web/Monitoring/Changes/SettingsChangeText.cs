using ArcBridgeDashboard.Web.Configuration;

namespace ArcBridgeDashboard.Web.Monitoring.Changes;

/// <summary>
/// The automatic annotation for a Settings save: which fields changed, from what to what. Never a secret: the proxy
/// password is only ever "set", "replaced" or "cleared", a URL loses any user:password part, and certificates are
/// named by count, not content.
/// </summary>
public static class SettingsChangeText
{
    /// <returns>Null when nothing an operator would notice changed.</returns>
    public static string? Describe(DashboardSettings before, DashboardSettings after, bool passwordStoredAfter)
    {
        var parts = new List<string>();
        void Compare(string name, string? a, string? b)
        {
            a = string.IsNullOrWhiteSpace(a) ? null : a.Trim();
            b = string.IsNullOrWhiteSpace(b) ? null : b.Trim();
            if (!string.Equals(a, b, StringComparison.Ordinal))
                parts.Add($"{name} changed from {a ?? "(none)"} to {b ?? "(none)"}");
        }
        static string List(IEnumerable<string> values) => string.Join(", ", values);

        Compare("cloud", before.Cloud.ToString(), after.Cloud.ToString());
        Compare("region", before.Region, after.Region);
        Compare("proxy URL", WithoutUserInfo(before.ProxyUrl), WithoutUserInfo(after.ProxyUrl));
        Compare("proxy user", before.ProxyUser, after.ProxyUser);
        if (after.NewProxyPassword is { Length: > 0 })
            parts.Add(before.HasProxyPassword ? "proxy password replaced" : "proxy password set");
        else if (before.HasProxyPassword && !passwordStoredAfter)
            parts.Add("proxy password cleared");
        Compare("no-proxy list", List(before.NoProxy), List(after.NoProxy));
        Compare("DNS servers", List(before.DnsServers), List(after.DnsServers));
        Compare("interval (minutes)", before.IntervalMinutes.ToString(System.Globalization.CultureInfo.InvariantCulture), after.IntervalMinutes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Compare("phase timeout (seconds)", before.PhaseTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), after.PhaseTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Compare("wildcard overrides", List(before.WildcardOverrides.OrderBy(p => p.Key).Select(p => $"{p.Key}={p.Value}")),
            List(after.WildcardOverrides.OrderBy(p => p.Key).Select(p => $"{p.Key}={p.Value}")));
        if (!string.Equals(before.ExpectedRootsPem.Trim(), after.ExpectedRootsPem.Trim(), StringComparison.Ordinal))
            parts.Add($"expected roots changed ({Certificates(before.ExpectedRootsPem)} → {Certificates(after.ExpectedRootsPem)} certificates)");
        if (!string.Equals(before.TrustedRootsPem.Trim(), after.TrustedRootsPem.Trim(), StringComparison.Ordinal))
            parts.Add($"trusted roots changed ({Certificates(before.TrustedRootsPem)} → {Certificates(after.TrustedRootsPem)} certificates)");
        Compare("appliance VM IPs", List(before.ApplianceVmIps), List(after.ApplianceVmIps));
        Compare("control plane IP", before.ControlPlaneIp, after.ControlPlaneIp);
        Compare("private cloud address", before.PrivateCloudAddress, after.PrivateCloudAddress);
        Compare("Arc gateway URL", WithoutUserInfo(before.Gateway), WithoutUserInfo(after.Gateway));
        Compare("NTP warn (seconds)", before.NtpWarnSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), after.NtpWarnSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Compare("NTP fail (seconds)", before.NtpFailSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), after.NtpFailSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (parts.Count == 0)
            return null;
        var text = "Settings saved: " + string.Join("; ", parts);
        return text.Length <= AnnotationService.MaxTextLength ? text : text[..(AnnotationService.MaxTextLength - 1)] + "…";
    }

    private static int Certificates(string pem) => System.Text.RegularExpressions.Regex.Matches(pem, "-----BEGIN CERTIFICATE-----").Count;

    private static string? WithoutUserInfo(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0
            ? new UriBuilder(uri) { UserName = "", Password = "" }.Uri.ToString()
            : url;
}
