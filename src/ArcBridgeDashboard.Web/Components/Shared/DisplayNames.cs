using System.Globalization;
using System.Text.RegularExpressions;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Agents;
using ArcBridgeDashboard.Web.Data;

using ArcBridgeDashboard.Web.Monitoring.Status;

namespace ArcBridgeDashboard.Web.Components.Shared;

/// <summary>
/// What the dashboard calls things: every enum a page shows goes through here, never through ToString(), so the
/// operator reads "Appliance VM", not "ApplianceVm". Clouds have theirs beside the enum (<see cref="Clouds.DisplayName"/>).
/// Reason codes stay codes: they are what the README's reason table, the `check` command and a search look up.
/// </summary>
public static partial class DisplayNames
{
    public static string DisplayName(this Sources sources) => sources switch
    {
        Sources.ManagementMachine => "Management machine",
        Sources.ApplianceVm => "Appliance VM",
        Sources.ManagementMachine | Sources.ApplianceVm => "Management machine and appliance VM",
        _ => "No source",
    };

    /// <summary>A source column's key (the role's name, kept in test ids and URLs) as its header.</summary>
    public static string Source(string key) => Enum.TryParse<Sources>(key, out var role) && Enum.IsDefined(role) ? role.DisplayName() : key;

    /// <summary>Narrow label for a source column on a phone.</summary>
    public static string SourceShort(string key) => key switch
    {
        nameof(Sources.ManagementMachine) => "Mgmt",
        nameof(Sources.ApplianceVm) => "VM",
        _ => key,
    };

    public static string DisplayName(this AnnotationKind kind) => kind switch
    {
        AnnotationKind.Operator => "Operator",
        AnnotationKind.Settings => "Settings change",
        AnnotationKind.Allowlist => "Allowlist change",
        _ => "Note",
    };

    public static string DisplayName(this Verdict? verdict) => verdict switch
    {
        Verdict.Pass => "Pass",
        Verdict.Warn => "Warn",
        Verdict.Fail => "Fail",
        _ => "First result",
    };

    public static string DisplayName(this DisplayStatus status) => status switch
    {
        DisplayStatus.Pass => "Pass",
        DisplayStatus.Warn => "Warn",
        DisplayStatus.Fail => "Fail",
        DisplayStatus.Stale => "Stale",
        DisplayStatus.NoData => "No data",
        DisplayStatus.NeedsHostname => "Needs hostname",
        DisplayStatus.Gap => "Gap",
        _ => "Unknown",
    };

    /// <summary>The phase's name; with the reason, "DNS (at the proxy)" when the proxy's resolver failed, not ours.</summary>
    public static string DisplayName(this Phase phase, ReasonCode? reason = null) => phase switch
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

    public static string DisplayName(this SweepTrigger trigger) => trigger switch
    {
        SweepTrigger.Manual => "Manual",
        _ => "Scheduled",
    };

    public static string DisplayName(this AgentState state) => state switch
    {
        AgentState.Online => "online",
        AgentState.Stale => "stale",
        AgentState.Offline => "offline",
        _ => "revoked",
    };

    /// <summary>"1 result", "3 results": a count with its noun in the right number.</summary>
    public static string Count(int count, string one, string? many = null) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} {(count == 1 ? one : many ?? one + "s")}");

    /// <summary>
    /// Probe messages, remedies and expansion notes are shared with the `check` command and name its options
    /// ("--dns-server"); on the dashboard the same thing is a setting, so each option becomes the setting's name.
    /// </summary>
    public static string? ForDashboard(string? text)
    {
        if (string.IsNullOrEmpty(text) || !text.Contains("--", StringComparison.Ordinal))
            return text;
        var result = WildcardSuggestion().Replace(text, "add the wildcard override \"$1\" in Settings");
        foreach (var (cli, dashboard) in Phrases)
            result = result.Replace(cli, dashboard, StringComparison.Ordinal);
        return CliOption().Replace(result, m => Settings.TryGetValue(m.Value, out var setting) ? setting : m.Value);
    }

    // Whole phrases first, so the sentence still reads; then any option left on its own.
    private static readonly (string Cli, string Dashboard)[] Phrases =
    [
        ("(--wildcard PATTERN=HOST or the WildcardOverrides setting)", "(a wildcard override in Settings)"),
        ("or pass --dns-server.", "or set DNS servers in Settings."),
        ("no --dns-server was given", "no DNS server is set in Settings"),
        ("(give --dns-server to tell them apart)", "(set DNS servers in Settings to tell them apart)"),
        ("add its root with --trust-ca.", "add its root to the trusted roots in Settings."),
        ("trusted via --trust-ca but", "trusted through the trusted roots in Settings but"),
        ("(--dns-server)", "(DNS servers in Settings)"),
        ("(--appliance-vm-ip)", "(appliance VM IPs in Settings)"),
        ("(--control-plane-ip)", "(control-plane IP in Settings)"),
        ("(--private-cloud-address)", "(private cloud control plane address in Settings)"),
    ];

    private static readonly Dictionary<string, string> Settings = new(StringComparer.Ordinal)
    {
        ["--dns-server"] = "the DNS servers setting",
        ["--trust-ca"] = "the trusted roots setting",
        ["--expected-root"] = "the expected roots setting",
        ["--wildcard"] = "a wildcard override in Settings",
        ["--appliance-vm-ip"] = "the appliance VM IPs setting",
        ["--control-plane-ip"] = "the control-plane IP setting",
        ["--private-cloud-address"] = "the private cloud control plane address setting",
        ["--proxy"] = "the proxy URL setting",
        ["--no-proxy"] = "the no-proxy setting",
        ["--gateway"] = "the Arc gateway URL setting",
        ["--region"] = "the region setting",
        ["--cloud"] = "the cloud setting",
        ["--timeout"] = "the phase timeout setting",
    };

    [GeneratedRegex("pass --wildcard \"([^\"]+)\"")]
    private static partial Regex WildcardSuggestion();

    // Only the dashboard's own options: "--proxy-cert" of az arcappliance is Arc's setting, left as it is.
    [GeneratedRegex(@"(?<![\w-])--[a-z][a-z-]*[a-z](?![\w-])")]
    private static partial Regex CliOption();
}
