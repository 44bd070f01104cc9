using ArcBridgeDashboard.Probes.Contracts;

namespace ArcBridgeDashboard.Web.Components.Pages.Settings;

/// <summary>What to do with the stored proxy password on save. The stored value never reaches the browser.</summary>
public enum PasswordChange
{
    Keep,
    Replace,
    Clear,
}

/// <summary>
/// The editable shape of the dashboard settings: text the operator types, one property per field.
/// Lists are one entry per line so the validator can point at the exact line that is wrong.
/// </summary>
public sealed class SettingsFormModel
{
    public string Region { get; set; } = "";
    public Cloud Cloud { get; set; } = Cloud.AzureCloud;
    public string IntervalMinutes { get; set; } = "5";
    public string PhaseTimeoutSeconds { get; set; } = "5";
    public string ProxyUrl { get; set; } = "";
    public string ProxyUser { get; set; } = "";
    public bool HasStoredPassword { get; set; }
    public PasswordChange PasswordChange { get; set; }
    public string NewPassword { get; set; } = "";
    /// <summary>The proxy URL as saved: the server a stored password was entered for (the form asks again when it changes).</summary>
    public string SavedProxyUrl { get; set; } = "";
    /// <summary>"Send the password to remote agents": off, remote agents' plans carry no password.</summary>
    public bool SendPasswordToAgents { get; set; }
    public string NoProxy { get; set; } = "";
    public string DnsServers { get; set; } = "";
    /// <summary>"pattern = host" per line.</summary>
    public string WildcardOverrides { get; set; } = "";
    public string ExpectedRootsPem { get; set; } = "";
    public string TrustedRootsPem { get; set; } = "";
    public string ApplianceVmIps { get; set; } = "";
    public string ControlPlaneIp { get; set; } = "";
    public string PrivateCloudAddress { get; set; } = "";
    public string Gateway { get; set; } = "";
    public string NtpWarnSeconds { get; set; } = "60";
    public string NtpFailSeconds { get; set; } = "1800";

    public SettingsFormModel Clone() => (SettingsFormModel)MemberwiseClone();
}

/// <summary>Field names the validator uses as keys, so a message lands under the right input.</summary>
public static class SettingsFields
{
    public const string Region = nameof(SettingsFormModel.Region);
    public const string Cloud = nameof(SettingsFormModel.Cloud);
    public const string IntervalMinutes = nameof(SettingsFormModel.IntervalMinutes);
    public const string PhaseTimeoutSeconds = nameof(SettingsFormModel.PhaseTimeoutSeconds);
    public const string ProxyUrl = nameof(SettingsFormModel.ProxyUrl);
    public const string ProxyUser = nameof(SettingsFormModel.ProxyUser);
    public const string NewPassword = nameof(SettingsFormModel.NewPassword);
    public const string SendPasswordToAgents = nameof(SettingsFormModel.SendPasswordToAgents);
    public const string NoProxy = nameof(SettingsFormModel.NoProxy);
    public const string DnsServers = nameof(SettingsFormModel.DnsServers);
    public const string WildcardOverrides = nameof(SettingsFormModel.WildcardOverrides);
    public const string ExpectedRootsPem = nameof(SettingsFormModel.ExpectedRootsPem);
    public const string TrustedRootsPem = nameof(SettingsFormModel.TrustedRootsPem);
    public const string ApplianceVmIps = nameof(SettingsFormModel.ApplianceVmIps);
    public const string ControlPlaneIp = nameof(SettingsFormModel.ControlPlaneIp);
    public const string PrivateCloudAddress = nameof(SettingsFormModel.PrivateCloudAddress);
    public const string Gateway = nameof(SettingsFormModel.Gateway);
    public const string NtpWarnSeconds = nameof(SettingsFormModel.NtpWarnSeconds);
    public const string NtpFailSeconds = nameof(SettingsFormModel.NtpFailSeconds);
}
