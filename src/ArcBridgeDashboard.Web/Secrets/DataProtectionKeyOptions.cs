namespace ArcBridgeDashboard.Web.Secrets;

/// <summary>Where the Data Protection key ring lives, section "ArcBridge:DataProtection".</summary>
public sealed class DataProtectionKeyOptions
{
    public const string SectionName = "ArcBridge:DataProtection";

    /// <summary>
    /// A folder for the key ring (relative to the content root). Empty: the keys live in the dashboard's own
    /// database, so a backup of the one file restores the secrets with it.
    /// </summary>
    public string? KeysDirectory { get; set; }
}
