namespace ArcBridgeDashboard.Web.Data;

/// <summary>A persisted dashboard setting (JSON value). See Configuration/DashboardSettingsStore.</summary>
public sealed class Setting
{
    public required string Key { get; set; }
    public required string Value { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
