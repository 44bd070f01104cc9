namespace ArcBridgeDashboard.Web.Components.Pages.Settings;

/// <summary>
/// Which agents each Settings field reaches, as the page tells the operator. Decided from how the values travel:
/// the dashboard expands targets (cloud, region, wildcards, IPs, addresses) for every agent's plan; the plan also
/// carries interval, timeouts, proxy, DNS, NTP thresholds and roots, where a remote agent's own proxy, DNS servers
/// and interval win over the plan's (PlanSettings in the agent) and its own roots are kept, the plan's added to them.
/// </summary>
public static class SettingScopes
{
    public const string AllAgents = "Built-in and remote agents";
    public const string RemoteAgents = "Remote agents (the built-in agent always uses the stored password)";
    public const string UnlessOwnInterval = "Built-in and remote agents, unless an agent has its own interval";
    public const string UnlessOwnProxy = "Built-in and remote agents, unless an agent has its own proxy";
    public const string UnlessOwnDns = "Built-in and remote agents, unless an agent has its own DNS servers";
    public const string ManagementMachine = "Built-in and remote agents in the management machine role";
    public const string AddedToOwnRoots = "Built-in and remote agents, added to an agent's own roots";

    private static readonly Dictionary<string, string> ByField = new(StringComparer.Ordinal)
    {
        [SettingsFields.Region] = AllAgents,
        [SettingsFields.Cloud] = AllAgents,
        [SettingsFields.IntervalMinutes] = UnlessOwnInterval,
        [SettingsFields.PhaseTimeoutSeconds] = AllAgents,
        [SettingsFields.NtpWarnSeconds] = AllAgents,
        [SettingsFields.NtpFailSeconds] = AllAgents,
        [SettingsFields.ProxyUrl] = UnlessOwnProxy,
        [SettingsFields.ProxyUser] = UnlessOwnProxy,
        [SettingsFields.NewPassword] = UnlessOwnProxy,
        [SettingsFields.SendPasswordToAgents] = RemoteAgents,
        // An agent with its own proxy still applies the dashboard's no-proxy list.
        [SettingsFields.NoProxy] = AllAgents,
        [SettingsFields.DnsServers] = UnlessOwnDns,
        [SettingsFields.WildcardOverrides] = AllAgents,
        // Targets of the management machine only (the appliance VM does not probe itself).
        [SettingsFields.ApplianceVmIps] = ManagementMachine,
        [SettingsFields.ControlPlaneIp] = ManagementMachine,
        // Probed from the management machine and the appliance VM alike.
        [SettingsFields.PrivateCloudAddress] = AllAgents,
        [SettingsFields.Gateway] = AllAgents,
        [SettingsFields.ExpectedRootsPem] = AddedToOwnRoots,
        [SettingsFields.TrustedRootsPem] = AddedToOwnRoots,
    };

    /// <summary>Every field the form shows has an entry; a new field without one fails the bunit test, not silently.</summary>
    public static IReadOnlyDictionary<string, string> All => ByField;

    public static string TextOf(string field) => ByField[field];
}
