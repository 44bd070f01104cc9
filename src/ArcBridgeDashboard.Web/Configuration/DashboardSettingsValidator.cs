using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using ArcBridgeDashboard.Probes.Proxy;
using ArcBridgeDashboard.Probes.Tls;

namespace ArcBridgeDashboard.Web.Configuration;

/// <summary>Checks every field before anything is saved; each message says which value is wrong and why.</summary>
public static partial class DashboardSettingsValidator
{
    public static IReadOnlyList<SettingsError> Validate(DashboardSettings s)
    {
        var errors = new List<SettingsError>();
        void Add(string field, string message) => errors.Add(new SettingsError(field, message));

        if (!RegionPattern().IsMatch(s.Region ?? ""))
            Add(nameof(s.Region), $"Region '{s.Region}' is not an Azure region name (lower-case letters and digits, e.g. eastus).");
        if (!string.IsNullOrWhiteSpace(s.ProxyUrl)
            && (!Uri.TryCreate(s.ProxyUrl, UriKind.Absolute, out var proxy) || proxy.Scheme is not ("http" or "https") || proxy.Port <= 0))
            // Text with an '@' may hold a password: it is not repeated in the message.
            Add(nameof(s.ProxyUrl), s.ProxyUrl.Contains('@')
                ? "The proxy URL must not contain a user name or password (user:pass@): enter them in the Proxy user and Proxy password fields."
                : $"Proxy URL '{s.ProxyUrl}' must be an absolute http:// or https:// URL, e.g. http://proxy.corp:3128.");
        else if (!string.IsNullOrWhiteSpace(s.ProxyUrl) && new Uri(s.ProxyUrl).UserInfo.Length > 0)
            // Never echoed back: the URL would be shown in clear in Settings and in every plan.
            Add(nameof(s.ProxyUrl), "The proxy URL must not contain a user name or password (user:pass@): enter them in the Proxy user and Proxy password fields.");
        if (string.IsNullOrWhiteSpace(s.ProxyUrl) && !string.IsNullOrWhiteSpace(s.ProxyUser))
            Add(nameof(s.ProxyUser), "A proxy user needs a proxy URL.");
        foreach (var entry in s.NoProxy)
        {
            if (entry.Contains('*'))
                Add(nameof(s.NoProxy), $"noProxy entry '{entry}' contains '*': Arc does not support wildcards; use a leading dot (.corp.example) instead.");
            else if (string.IsNullOrWhiteSpace(entry) || entry.Any(char.IsWhiteSpace))
                Add(nameof(s.NoProxy), $"noProxy entry '{entry}' is empty or contains spaces.");
        }
        foreach (var server in s.DnsServers)
        {
            if (!TryParseEndpoint(server, 53, out _))
                Add(nameof(s.DnsServers), $"DNS server '{server}' is not an IP address or IP:port (e.g. 10.0.0.53 or 10.0.0.53:53).");
        }
        if (s.IntervalMinutes is < 1 or > 1440)
            Add(nameof(s.IntervalMinutes), $"Interval {s.IntervalMinutes} min is out of range: use 1 to 1440 minutes.");
        if (s.PhaseTimeoutSeconds is < 1 or > 120)
            Add(nameof(s.PhaseTimeoutSeconds), $"Phase timeout {s.PhaseTimeoutSeconds} s is out of range: use 1 to 120 seconds.");
        foreach (var (pattern, host) in s.WildcardOverrides)
        {
            if (!pattern.Contains('*'))
                Add(nameof(s.WildcardOverrides), $"Override pattern '{pattern}' has no '*': only wildcard patterns can be overridden.");
            if (string.IsNullOrWhiteSpace(host) || host.Contains('*') || Uri.CheckHostName(host) == UriHostNameType.Unknown)
                Add(nameof(s.WildcardOverrides), $"Override host '{host}' for '{pattern}' must be a concrete host name.");
        }
        CheckPem(s.ExpectedRootsPem, nameof(s.ExpectedRootsPem), Add);
        CheckPem(s.TrustedRootsPem, nameof(s.TrustedRootsPem), Add);
        foreach (var ip in s.ApplianceVmIps)
        {
            if (!IsIpAddress(ip))
                Add(nameof(s.ApplianceVmIps), $"Appliance VM IP '{ip}' is not an IP address.");
        }
        if (!string.IsNullOrWhiteSpace(s.ControlPlaneIp) && !IsIpAddress(s.ControlPlaneIp))
            Add(nameof(s.ControlPlaneIp), $"Control-plane IP '{s.ControlPlaneIp}' is not an IP address.");
        if (!Enum.IsDefined(s.Cloud))
            Add(nameof(s.Cloud), $"Cloud '{s.Cloud}' is not one the allowlist publishes: choose Azure Cloud or Azure Government.");
        if (!string.IsNullOrWhiteSpace(s.PrivateCloudAddress) && !IsHostNameOrIp(s.PrivateCloudAddress.Trim()))
            Add(nameof(s.PrivateCloudAddress), $"Private cloud address '{s.PrivateCloudAddress}' is not a host name or IP address (e.g. vcenter.corp.example or 10.0.0.10).");
        if (!string.IsNullOrWhiteSpace(s.Gateway) && ArcGateway.Parse(s.Gateway, out var gatewayError) is null)
            Add(nameof(s.Gateway), $"Arc gateway URL {gatewayError}.");
        if (s.NtpWarnSeconds < 1 || s.NtpFailSeconds <= s.NtpWarnSeconds)
            Add(nameof(s.NtpFailSeconds), $"NTP thresholds must satisfy 1 <= warn ({s.NtpWarnSeconds} s) < fail ({s.NtpFailSeconds} s).");
        return errors;
    }

    /// <summary>A full IPv4 dotted quad or an IPv6 address; not the legacy short forms ("10.1" = 10.0.0.1).</summary>
    public static bool IsIpAddress(string text) =>
        IPAddress.TryParse(text, out var address)
        && (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 || text.Split('.').Length == 4);

    /// <summary>
    /// A DNS host name or a full IP address: no port, scheme or path. Text of digits and dots only must be a full
    /// dotted quad, since "10.0.5" is a typo, not a host name.
    /// </summary>
    public static bool IsHostNameOrIp(string text)
    {
        if (IsIpAddress(text))
            return true;
        if (text.All(c => char.IsAsciiDigit(c) || c == '.'))
            return false;
        return text.Length <= 253 && HostNamePattern().IsMatch(text);
    }

    /// <summary>"ip" or "ip:port" ("[v6]:port"); no port means <paramref name="defaultPort"/>.</summary>
    public static bool TryParseEndpoint(string text, int defaultPort, out IPEndPoint endpoint)
    {
        endpoint = null!;
        if (!IPEndPoint.TryParse(text.Trim(), out var parsed))
            return false;
        if (parsed.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && text.Trim().Split(':')[0].Split('.').Length != 4)
            return false;
        endpoint = parsed.Port == 0 ? new IPEndPoint(parsed.Address, defaultPort) : parsed;
        return true;
    }

    /// <summary>Parses zero or more PEM certificates; throws <see cref="CryptographicException"/> on bad input.</summary>
    /// <remarks>The probe library's parser: remote agents read the plan's PEM with the same one.</remarks>
    public static IReadOnlyList<X509Certificate2> ParsePem(string pem) => PemCertificates.Parse(pem);

    private static void CheckPem(string pem, string field, Action<string, string> add)
    {
        try
        {
            ParsePem(pem);
        }
        catch (CryptographicException ex)
        {
            // A block that is there but broken needs pasting again; only an empty-handed text needs the format explained.
            add(field, ex is PemCertificateException { Block: not null }
                ? $"Not a valid PEM certificate list: {ex.Message}. Paste that certificate again, whole."
                : $"Not a valid PEM certificate list: {ex.Message}. Paste one or more {PemCertificates.BeginMarker} blocks.");
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9]{2,40}$")]
    private static partial Regex RegionPattern();

    [GeneratedRegex(@"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\.?$", RegexOptions.IgnoreCase)]
    private static partial Regex HostNamePattern();
}
