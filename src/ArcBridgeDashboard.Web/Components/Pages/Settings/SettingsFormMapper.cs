using ArcBridgeDashboard.Web.Configuration;

namespace ArcBridgeDashboard.Web.Components.Pages.Settings;

/// <summary>
/// Text fields ⇄ <see cref="DashboardSettings"/>. Parsing problems (a number that is not a number, an override line
/// without '=') are reported here; everything else is the data layer's <see cref="DashboardSettingsValidator"/>.
/// </summary>
public static class SettingsFormMapper
{
    public static SettingsFormModel ToForm(DashboardSettings s) => new()
    {
        Region = s.Region,
        Cloud = s.Cloud,
        IntervalMinutes = s.IntervalMinutes.ToString(),
        PhaseTimeoutSeconds = s.PhaseTimeoutSeconds.ToString(),
        ProxyUrl = s.ProxyUrl ?? "",
        ProxyUser = s.ProxyUser ?? "",
        HasStoredPassword = s.HasProxyPassword,
        PasswordChange = PasswordChange.Keep,
        NewPassword = "",
        SavedProxyUrl = s.ProxyUrl ?? "",
        SendPasswordToAgents = s.SendProxyPasswordToAgents,
        NoProxy = string.Join('\n', s.NoProxy),
        DnsServers = string.Join('\n', s.DnsServers),
        WildcardOverrides = string.Join('\n', s.WildcardOverrides.Select(p => $"{p.Key} = {p.Value}")),
        ExpectedRootsPem = s.ExpectedRootsPem,
        TrustedRootsPem = s.TrustedRootsPem,
        ApplianceVmIps = string.Join('\n', s.ApplianceVmIps),
        ControlPlaneIp = s.ControlPlaneIp ?? "",
        PrivateCloudAddress = s.PrivateCloudAddress ?? "",
        Gateway = s.Gateway ?? "",
        NtpWarnSeconds = s.NtpWarnSeconds.ToString(),
        NtpFailSeconds = s.NtpFailSeconds.ToString(),
    };

    /// <summary>The settings to save, or the field messages that stop the save.</summary>
    public static (DashboardSettings? Settings, IReadOnlyDictionary<string, string> Errors) FromForm(SettingsFormModel m)
    {
        var errors = new Dictionary<string, List<string>>();
        void Add(string field, string message)
        {
            if (!errors.TryGetValue(field, out var list))
            {
                errors[field] = list = [];
            }
            list.Add(message);
        }

        int Number(string text, string field, string label)
        {
            if (int.TryParse(text.Trim(), out var value))
            {
                return value;
            }
            Add(field, $"{label} '{text}' is not a whole number.");
            return 0;
        }

        var overrides = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (line, index) in Lines(m.WildcardOverrides).Select((l, i) => (l, i)))
        {
            var parts = line.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || parts[0].Length == 0)
            {
                Add(SettingsFields.WildcardOverrides, $"Line {index + 1} '{line}' must look like '*.pattern.example = host.example'.");
                continue;
            }
            overrides[parts[0]] = parts[1];
        }

        var settings = new DashboardSettings
        {
            Region = m.Region.Trim(),
            Cloud = m.Cloud,
            IntervalMinutes = Number(m.IntervalMinutes, SettingsFields.IntervalMinutes, "Interval"),
            PhaseTimeoutSeconds = Number(m.PhaseTimeoutSeconds, SettingsFields.PhaseTimeoutSeconds, "Phase timeout"),
            ProxyUrl = NullIfBlank(m.ProxyUrl),
            ProxyUser = NullIfBlank(m.ProxyUser),
            SendProxyPasswordToAgents = m.SendPasswordToAgents,
            NewProxyPassword = m.PasswordChange switch
            {
                PasswordChange.Clear => "",
                PasswordChange.Replace when m.NewPassword.Length > 0 => m.NewPassword,
                _ => null,
            },
            NoProxy = Lines(m.NoProxy),
            DnsServers = Lines(m.DnsServers),
            WildcardOverrides = overrides,
            ExpectedRootsPem = m.ExpectedRootsPem.Trim(),
            TrustedRootsPem = m.TrustedRootsPem.Trim(),
            ApplianceVmIps = Lines(m.ApplianceVmIps),
            ControlPlaneIp = NullIfBlank(m.ControlPlaneIp),
            PrivateCloudAddress = NullIfBlank(m.PrivateCloudAddress),
            Gateway = NullIfBlank(m.Gateway),
            NtpWarnSeconds = Number(m.NtpWarnSeconds, SettingsFields.NtpWarnSeconds, "NTP warn threshold"),
            NtpFailSeconds = Number(m.NtpFailSeconds, SettingsFields.NtpFailSeconds, "NTP fail threshold"),
        };
        if (m.PasswordChange == PasswordChange.Replace && m.NewPassword.Length == 0)
        {
            Add(SettingsFields.NewPassword, "Type the new proxy password, or choose Keep stored.");
        }
        if (m.HasStoredPassword && m.PasswordChange == PasswordChange.Keep && !string.IsNullOrWhiteSpace(m.ProxyUrl)
            && !DashboardSettingsStore.SameProxyServer(NullIfBlank(m.SavedProxyUrl), m.ProxyUrl.Trim()))
        {
            // The store refuses it too; saying it here puts the message under the password before Save is pressed twice.
            Add(SettingsFields.NewPassword, DashboardSettingsStore.ProxyChangedMessage);
        }

        // A field that did not parse would only produce a second, confusing message from the validator.
        foreach (var error in DashboardSettingsValidator.Validate(settings).Where(e => !errors.ContainsKey(e.Field)))
        {
            Add(error.Field, error.Message);
        }
        var flat = errors.ToDictionary(e => e.Key, e => string.Join(" ", e.Value));
        return (flat.Count == 0 ? settings : null, flat);
    }

    public static IReadOnlyDictionary<string, string> Validate(SettingsFormModel m) => FromForm(m).Errors;

    private static string[] Lines(string text) =>
        text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static string? NullIfBlank(string text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
