using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using ArcBridgeDashboard.Probes.Catalog;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Probes.Proxy;

namespace ArcBridgeDashboard.Agent.Check;

/// <summary>Validates <see cref="CheckOptions"/> into a <see cref="CheckPlan"/>; every problem is a <see cref="UsageException"/> naming the option.</summary>
public static partial class CheckSettingsBuilder
{
    public static CheckPlan Build(CheckOptions o)
    {
        var (proxy, user, password) = ParseProxy(o);
        var settings = new ProbeSettings
        {
            Region = ParseRegion(o.Region),
            Cloud = ParseCloud(o.Cloud),
            Proxy = proxy,
            ProxyUser = user,
            ProxyPassword = password,
            NoProxy = ParseNoProxy(o.NoProxy),
            DnsServers = o.DnsServers.Select(ParseDnsServer).ToList(),
            TrustedRoots = CertificateFiles.LoadAll("--trust-ca", o.TrustCa),
            ExpectedRoots = o.ExpectedRoots.Count == 0 ? null : CertificateFiles.LoadAll("--expected-root", o.ExpectedRoots),
            WildcardOverrides = ParseWildcards(o.Wildcards),
            ApplianceVmIps = o.ApplianceVmIps.Select(ip => ParseIp("--appliance-vm-ip", ip)).ToList(),
            ControlPlaneIp = o.ControlPlaneIp is null ? null : ParseIp("--control-plane-ip", o.ControlPlaneIp),
            PrivateCloudAddress = ParsePrivateCloudAddress(o.PrivateCloudAddress),
            Gateway = ParseGateway(o.Gateway),
            PhaseTimeout = ParseTimeout(o.Timeout),
        };
        return new CheckPlan(settings, LoadCatalog(o.Catalog), ParseRole(o.Role), ParseFormat(o.Format), ParseBlobRegistry(o.BlobRegistry))
        {
            SaveInspectionRoot = string.IsNullOrWhiteSpace(o.SaveInspectionRoot) ? null : o.SaveInspectionRoot,
            RevocationDefaults = ParseOnOff(o.RevocationDefaults, "--revocation-defaults"),
        };
    }

    private static Sources ParseRole(string? role) => role?.Trim().ToLowerInvariant() switch
    {
        null or "" or "all" => Sources.ManagementMachine | Sources.ApplianceVm,
        "managementmachine" => Sources.ManagementMachine,
        "appliancevm" => Sources.ApplianceVm,
        _ => throw new UsageException($"--role: unknown role '{role}' (expected ManagementMachine or ApplianceVm)"),
    };

    private static string ParseRegion(string? region)
    {
        if (string.IsNullOrWhiteSpace(region))
            return "eastus";
        var r = region.Trim().ToLowerInvariant();
        return RegionName().IsMatch(r) ? r : throw new UsageException($"--region: '{region}' is not an Azure region name (letters and digits, e.g. westeurope)");
    }

    private static Uri? ParseGateway(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        return ArcGateway.Parse(text, out var error) ?? throw new UsageException($"--gateway: {error}");
    }

    private static Cloud ParseCloud(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return Cloud.AzureCloud;
        return Clouds.TryParse(text, out var cloud) ? cloud : throw new UsageException($"--cloud: unknown cloud '{text}' (expected AzureCloud or AzureGovernment)");
    }

    /// <summary>A host name or a full IP address (digits and dots only must be a dotted quad: "10.0.5" is a typo).</summary>
    private static string? ParsePrivateCloudAddress(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        var host = text.Trim();
        if (IsStrictIp(host))
            return IPAddress.Parse(host).ToString();
        return !host.All(c => char.IsAsciiDigit(c) || c == '.') && host.Length <= 253 && HostName().IsMatch(host)
            ? host.ToLowerInvariant()
            : throw new UsageException($"--private-cloud-address: '{text}' is not a host name or IP address (e.g. vcenter.corp.example)");
    }

    private static (Uri? Proxy, string? User, string? Password) ParseProxy(CheckOptions o)
    {
        if (string.IsNullOrWhiteSpace(o.Proxy))
        {
            if (o.ProxyUser is not null || o.ProxyPassword is not null)
                throw new UsageException("--proxy-user/--proxy-password: given without --proxy");
            return (null, null, null);
        }
        if (!Uri.TryCreate(o.Proxy.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
            throw new UsageException($"--proxy: '{o.Proxy}' is not an http:// proxy URL (e.g. http://proxy.corp:3128)");
        string? user = o.ProxyUser, password = o.ProxyPassword;
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            user ??= Uri.UnescapeDataString(parts[0]);
            password ??= parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : null;
            uri = new UriBuilder(uri) { UserName = "", Password = "" }.Uri;
        }
        if (password is not null && user is null)
            throw new UsageException("--proxy-password: given without --proxy-user");
        return (uri, user, password);
    }

    private static List<string> ParseNoProxy(string? list)
    {
        var entries = (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        var star = entries.FirstOrDefault(e => e.Contains('*'));
        return star is null ? entries : throw new UsageException($"--no-proxy: '{star}' uses '*', which Arc's noProxy does not support (use a leading dot: .corp.example)");
    }

    private static IPEndPoint ParseDnsServer(string text)
    {
        if (!IPEndPoint.TryParse(text.Trim(), out var endpoint) || !IsStrictIp(HostPart(text.Trim())))
            throw new UsageException($"--dns-server: '{text}' is not IP[:PORT] (IPv6 with a port: [::1]:53)");
        return endpoint.Port == 0 ? new IPEndPoint(endpoint.Address, 53) : endpoint;
    }

    private static string ParseIp(string option, string text)
        => IsStrictIp(text.Trim()) ? IPAddress.Parse(text.Trim()).ToString() : throw new UsageException($"{option}: '{text}' is not an IP address");

    /// <summary>IPAddress.TryParse accepts legacy forms ("1.2.3", "10"); an operator typing those made a typo.</summary>
    private static bool IsStrictIp(string text)
        => IPAddress.TryParse(text, out var ip)
            && (ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 || text.Count(c => c == '.') == 3);

    private static string HostPart(string endpoint)
    {
        if (endpoint.StartsWith('['))
            return endpoint[1..endpoint.IndexOf(']', StringComparison.Ordinal)];
        return endpoint.Count(c => c == ':') == 1 ? endpoint[..endpoint.IndexOf(':', StringComparison.Ordinal)] : endpoint;
    }

    private static TimeSpan ParseTimeout(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return TimeSpan.FromSeconds(5);
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds is > 0 and <= 300
            ? TimeSpan.FromSeconds(seconds)
            : throw new UsageException($"--timeout: '{text}' is not a number of seconds between 0 and 300");
    }

    private static ReportFormat ParseFormat(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" or "table" => ReportFormat.Table,
        "json" => ReportFormat.Json,
        "markdown" or "md" => ReportFormat.Markdown,
        _ => throw new UsageException($"--format: unknown format '{text}' (expected table, json or markdown)"),
    };

    private static Dictionary<string, string> ParseWildcards(List<string> entries)
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in entries)
        {
            var eq = entry.IndexOf('=');
            var pattern = eq > 0 ? entry[..eq].Trim().ToLowerInvariant() : "";
            var hosts = eq > 0 ? entry[(eq + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : [];
            if (!pattern.StartsWith("*.", StringComparison.Ordinal) || hosts.Length == 0 || hosts.Any(h => !HostName().IsMatch(h)))
                throw new UsageException($"--wildcard: '{entry}' is not PATTERN=HOST[,HOST] (e.g. *.blob.core.windows.net=acct.blob.core.windows.net)");
            map[pattern] = string.Join(',', hosts);
        }
        return map;
    }

    private static bool ParseOnOff(string? text, string option) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" or "on" => true,
        "off" => false,
        _ => throw new UsageException($"{option}: expected on or off, not '{text}'"),
    };

    private static Uri? ParseBlobRegistry(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return BlobEndpointDiscovery.DefaultRegistry;
        if (text.Trim().Equals("off", StringComparison.OrdinalIgnoreCase))
            return null;
        return Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new UsageException($"--blob-registry: '{text}' is not an https:// registry URL or 'off'");
    }

    private static CatalogSnapshot LoadCatalog(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
            return DefaultCatalog.Load();
        string markdown;
        try
        {
            markdown = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new UsageException($"--catalog: cannot read '{path}': {ex.Message.ReplaceLineEndings(" ")}");
        }
        var import = AllowlistImporter.Import(markdown);
        if (!import.Success)
        {
            var more = import.Errors.Count > 1 ? $" (and {import.Errors.Count - 1} more)" : "";
            throw new UsageException($"--catalog: {path}: {import.Errors[0]}{more}; nothing was imported");
        }
        return DefaultCatalog.FromImport(import, Path.GetFileName(path));
    }

    [GeneratedRegex("^[a-z][a-z0-9]{1,40}$")]
    private static partial Regex RegionName();

    [GeneratedRegex(@"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$", RegexOptions.IgnoreCase)]
    private static partial Regex HostName();
}
