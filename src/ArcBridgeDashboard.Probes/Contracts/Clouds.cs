namespace ArcBridgeDashboard.Probes.Contracts;

/// <summary>Names of <see cref="Cloud"/> as people write them: the doc's tab titles, its anchors and the enum names.</summary>
public static class Clouds
{
    public static string DisplayName(this Cloud cloud) => cloud switch
    {
        Cloud.AzureGovernment => "Azure Government",
        _ => "Azure Cloud",
    };

    /// <summary>Accepts "AzureCloud", "Azure Cloud", "azure-cloud", "AzureGovernment", "Azure Government", "azure-government", "AzureUSGovernment".</summary>
    public static bool TryParse(string? text, out Cloud cloud)
    {
        var folded = (text ?? "").Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).ToLowerInvariant();
        (var ok, cloud) = folded switch
        {
            "azurecloud" or "azure" or "public" => (true, Cloud.AzureCloud),
            "azuregovernment" or "azureusgovernment" or "usgovernment" => (true, Cloud.AzureGovernment),
            _ => (false, Cloud.AzureCloud),
        };
        return ok;
    }
}
