namespace ArcBridgeDashboard.Probes.Proxy;

/// <summary>
/// Arc gateway mode: Arc sends most HTTPS traffic through one <c>&lt;prefix&gt;.gw.arc.azure.com</c> endpoint, an HTTPS
/// proxy (CONNECT inside TLS), and reaches only a few endpoints the usual way. Which endpoints stay outside the gateway
/// is Microsoft's list ("Simplify network configuration requirements with Azure Arc gateway", and the Azure Local
/// firewall list with Arc gateway); it is kept here, in one place, so the README and the overview say the same.
/// </summary>
public static class ArcGateway
{
    /// <summary>Hosts Arc still reaches without the gateway (through the enterprise proxy when there is one).</summary>
    public static readonly IReadOnlyList<string> DirectHosts =
    [
        "management.azure.com",
        "login.microsoftonline.com",
        "*.login.microsoft.com",
        "gbl.his.arc.azure.com",
        "*.his.arc.azure.com",
        "packages.microsoft.com",
        "download.microsoft.com",
        "aka.ms",
        "azurestackreleases.download.prss.microsoft.com",
        "pypi.org",
        "pythonhosted.org",
        "files.pythonhosted.org",
        "raw.githubusercontent.com",
        "*.vault.azure.net",
        "*.gw.arc.azure.com",
    ];

    /// <summary>True when Arc sends HTTPS traffic for this host through the gateway (it is not on the direct list).</summary>
    public static bool Covers(string host) => !DirectHosts.Any(pattern => Matches(pattern, host.TrimEnd('.')));

    /// <summary>
    /// The gateway URL as Arc takes it: https, a host, an optional port, nothing else. Null with the reason when it is
    /// not one, so settings, `check --gateway` and the plan reject the same strings with the same words.
    /// </summary>
    public static Uri? Parse(string text, out string? error)
    {
        error = null;
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || string.IsNullOrEmpty(uri.Host))
            error = $"'{text}' is not an https:// URL (expected e.g. https://<prefix>.gw.arc.azure.com)";
        else if (uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
            error = $"'{text}' must be only scheme, host and optional port (no path, query or credentials)";
        return error is null ? uri : null;
    }

    private static bool Matches(string pattern, string host) => pattern.StartsWith("*.", StringComparison.Ordinal)
        ? host.EndsWith(pattern[1..], StringComparison.OrdinalIgnoreCase)
        : host.Equals(pattern, StringComparison.OrdinalIgnoreCase);
}
