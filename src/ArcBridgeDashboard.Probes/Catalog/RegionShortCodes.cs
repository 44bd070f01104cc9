namespace ArcBridgeDashboard.Probes.Catalog;

/// <summary>
/// Azure region name to the short code the Arc HIS (managed identity) service uses in regional host names,
/// e.g. westeurope → weu.his.arc.azure.com. Extend here when a region is missing, or override per run with
/// --wildcard "*.his.arc.azure.com=gbl.his.arc.azure.com,XYZ.his.arc.azure.com".
/// </summary>
public static class RegionShortCodes
{
    public static IReadOnlyDictionary<string, string> Table { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["eastus"] = "eus",
        ["eastus2"] = "eus2",
        ["westus"] = "wus",
        ["westus2"] = "wus2",
        ["westus3"] = "wus3",
        ["centralus"] = "cus",
        ["northcentralus"] = "ncus",
        ["southcentralus"] = "scus",
        ["westcentralus"] = "wcus",
        ["westeurope"] = "weu",
        ["northeurope"] = "neu",
        ["uksouth"] = "uks",
        ["ukwest"] = "ukw",
        ["francecentral"] = "frc",
        ["germanywestcentral"] = "gwc",
        ["swedencentral"] = "sdc",
        ["switzerlandnorth"] = "szn",
        ["norwayeast"] = "noe",
        ["australiaeast"] = "ae",
        ["southeastasia"] = "sea",
        ["eastasia"] = "ea",
        ["japaneast"] = "jpe",
        ["koreacentral"] = "krc",
        ["canadacentral"] = "cnc",
        ["centralindia"] = "inc",
        ["brazilsouth"] = "brs",
        // Azure Government: the allowlist's Government tab publishes usgv.his.arc.azure.us for US Gov Virginia.
        ["usgovvirginia"] = "usgv",
        ["usgovarizona"] = "usga",
        ["usgovtexas"] = "usgt",
    };

    public static string? For(string region) => Table.TryGetValue(region.Trim(), out var code) ? code : null;
}
