using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Monitoring.Status;
using MudBlazor;

namespace ArcBridgeDashboard.Web.Components.Shared;

/// <summary>How each status looks (the rules that decide a status live in <see cref="Monitoring.Status.CheckStatus"/>).</summary>
public static class StatusRules
{
    public static Color ColorOf(DisplayStatus status) => status switch
    {
        DisplayStatus.Pass => Color.Success,
        DisplayStatus.Warn => Color.Warning,
        DisplayStatus.Fail => Color.Error,
        DisplayStatus.Stale => Color.Secondary,
        DisplayStatus.NeedsHostname => Color.Info,
        DisplayStatus.Gap => Color.Dark,
        _ => Color.Default,
    };

    public static string IconOf(DisplayStatus status) => status switch
    {
        DisplayStatus.Pass => Icons.Material.Filled.CheckCircle,
        DisplayStatus.Warn => Icons.Material.Filled.Warning,
        DisplayStatus.Fail => Icons.Material.Filled.Error,
        DisplayStatus.Stale => Icons.Material.Filled.HourglassBottom,
        DisplayStatus.NeedsHostname => Icons.Material.Filled.EditNote,
        DisplayStatus.Gap => Icons.Material.Filled.VisibilityOff,
        _ => Icons.Material.Filled.HelpOutline,
    };
}
