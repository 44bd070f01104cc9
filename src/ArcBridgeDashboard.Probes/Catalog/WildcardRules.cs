namespace ArcBridgeDashboard.Probes.Catalog;

/// <summary>
/// The built-in wildcard expansions (documented in the README's expansion table). Anything without a rule is a
/// "needs a hostname" entry (Host = null) so the operator sees it and can supply one with --wildcard.
/// </summary>
public static class WildcardRules
{
    public const string NeedsHostnamePrefix = "needs a hostname";

    public static IReadOnlyList<(string? Host, string Note)> Expand(string pattern, string region)
    {
        var r = region.Trim().ToLowerInvariant();
        switch (pattern.ToLowerInvariant())
        {
            case "*.dp.prod.appliances.azure.com":
            case "*.dp.prod.appliances.azure.us":
            case "*.dp.kubernetesconfiguration.azure.com":
            case "*.dp.kubernetesconfiguration.azure.us":
            case "*.data.mcr.microsoft.com":
                // Regional data planes: the resource bridge and the Arc agents talk to the one of their region.
                return [($"{r}{pattern[1..].ToLowerInvariant()}", $"region {r}")];
            case "*.his.arc.azure.com":
                return RegionShortCodes.For(r) is { } code
                    ? [("gbl.his.arc.azure.com", "global HIS endpoint"), ($"{code}.his.arc.azure.com", $"region {r} short code {code}")]
                    : [("gbl.his.arc.azure.com", "global HIS endpoint"),
                       (null, $"{NeedsHostnamePrefix}: region '{r}' has no known HIS short code; pass --wildcard \"*.his.arc.azure.com=gbl.his.arc.azure.com,<code>.his.arc.azure.com\"")];
            case "*.pythonhosted.org":
                return [("files.pythonhosted.org", "pip downloads packages from files.pythonhosted.org")];
            case "*.pypi.org":
                // pip needs only pypi.org (listed on its own) and files.pythonhosted.org; no pypi.org subdomain is documented.
                return [(null, $"{NeedsHostnamePrefix}: no pypi.org subdomain is documented (pip uses pypi.org itself); pass --wildcard \"*.pypi.org=HOST\" to probe one")];
            case "*.blob.core.windows.net":
            case "*.blob.core.usgovcloudapi.net":
                return [(null, $"{NeedsHostnamePrefix}: the registry's storage host could not be discovered; pass --wildcard \"{pattern}=ACCOUNT{pattern[1..]}\"")];
            default:
                return [(null, $"{NeedsHostnamePrefix}: no built-in expansion for {pattern}; pass --wildcard \"{pattern}=HOST\"")];
        }
    }
}
