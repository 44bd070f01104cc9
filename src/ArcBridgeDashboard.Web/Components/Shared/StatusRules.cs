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

    public static string TextOf(DisplayStatus status) => status switch
    {
        DisplayStatus.Pass => "Pass",
        DisplayStatus.Warn => "Warn",
        DisplayStatus.Fail => "Fail",
        DisplayStatus.Stale => "Stale",
        DisplayStatus.NoData => "No data",
        DisplayStatus.NeedsHostname => "Needs hostname",
        DisplayStatus.Gap => "Gap",
        _ => status.ToString(),
    };

    /// <summary>The phase's name; with the reason, "DNS (at the proxy)" when the proxy's resolver failed, not ours.</summary>
    public static string PhaseLabel(Phase phase, ReasonCode? reason = null) => phase switch
    {
        Phase.Dns when reason is { } r && ReasonCatalog.IsDnsAtProxy(r) => "DNS (at the proxy)",
        Phase.Dns => "DNS",
        Phase.Tcp => "TCP",
        Phase.Proxy => "Proxy",
        Phase.Tls => "TLS",
        Phase.Http => "HTTP",
        Phase.Ntp => "NTP",
        _ => "—",
    };

    /// <summary>Narrow label for a source column on a phone.</summary>
    public static string SourceShortLabel(string source) => source switch
    {
        nameof(Sources.ManagementMachine) => "Mgmt",
        nameof(Sources.ApplianceVm) => "VM",
        _ => source,
    };

    /// <summary>Label for a source column.</summary>
    public static string SourceLabel(string source) => source switch
    {
        nameof(Sources.ManagementMachine) => "Management machine",
        nameof(Sources.ApplianceVm) => "Appliance VM",
        _ => source,
    };
}
