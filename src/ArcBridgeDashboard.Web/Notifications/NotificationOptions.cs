using Microsoft.Extensions.Options;
using MimeKit;

namespace ArcBridgeDashboard.Web.Notifications;

/// <summary>Section "ArcBridge:Notifications": how hard the dispatcher tries.</summary>
public sealed class NotificationOptions
{
    public const string SectionName = "ArcBridge:Notifications";

    /// <summary>Attempts per delivery before it is recorded as failed.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Wait between attempts.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one webhook POST may take.</summary>
    public TimeSpan WebhookTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The dashboard's address as on-call staff reach it (https://arcbridge.corp.example), for links in messages; empty: no links.</summary>
    public string? DashboardUrl { get; set; }
}

public sealed class NotificationOptionsValidator : IValidateOptions<NotificationOptions>
{
    public ValidateOptionsResult Validate(string? name, NotificationOptions options)
    {
        var errors = new List<string>();
        var s = NotificationOptions.SectionName;
        if (options.MaxAttempts is < 1 or > 100)
            errors.Add($"{s}:MaxAttempts {options.MaxAttempts} must be between 1 and 100.");
        if (options.RetryDelay < TimeSpan.Zero || options.RetryDelay > TimeSpan.FromDays(1))
            errors.Add($"{s}:RetryDelay {options.RetryDelay} must be between 00:00:00 and 1.00:00:00 (a TimeSpan such as 00:00:30).");
        if (options.WebhookTimeout <= TimeSpan.Zero || options.WebhookTimeout > TimeSpan.FromMinutes(10))
            errors.Add($"{s}:WebhookTimeout {options.WebhookTimeout} must be more than 0 and at most 00:10:00.");
        if (!string.IsNullOrWhiteSpace(options.DashboardUrl)
            && !(Uri.TryCreate(options.DashboardUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
            errors.Add($"{s}:DashboardUrl '{options.DashboardUrl}' is not an http or https address.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

/// <summary>Section "ArcBridge:Smtp": the one mail server notifications and the weekly report use. No Host: no e-mail.</summary>
public sealed class SmtpOptions
{
    public const string SectionName = "ArcBridge:Smtp";

    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    /// <summary>TLS: on connect for port 465, STARTTLS (required) otherwise. Off only for a relay on a trusted network.</summary>
    public bool UseTls { get; set; } = true;
    public string? User { get; set; }
    /// <summary>Clear, or encrypted with the dashboard's Data Protection keys ("dp1:…", as the Settings page stores secrets).</summary>
    public string? Password { get; set; }
    public string? From { get; set; }

    public bool Configured => !string.IsNullOrWhiteSpace(Host);
}

public sealed class SmtpOptionsValidator(Secrets.SecretProtector protector, IConfiguration configuration) : IValidateOptions<SmtpOptions>
{
    public ValidateOptionsResult Validate(string? name, SmtpOptions options)
    {
        var errors = new List<string>();
        var s = SmtpOptions.SectionName;
        if (options.Port is < 1 or > 65535)
            errors.Add($"{s}:Port {options.Port} is not a TCP port (1-65535).");
        if (options.Configured)
        {
            if (string.IsNullOrWhiteSpace(options.From) || !MailboxAddress.TryParse(options.From, out var from) || !from.Address.Contains('@'))
                errors.Add($"{s}:From '{options.From}' must be the sender's e-mail address when {s}:Host is set.");
            if (!string.IsNullOrEmpty(options.User) && string.IsNullOrEmpty(options.Password))
                errors.Add($"{s}:Password is needed when {s}:User is set.");
        }
        var recipients = configuration.GetSection(Reports.ReportScheduleOptions.SectionName + ":Recipients").Get<List<string>>() ?? [];
        if (!options.Configured && MailAddresses.Split(recipients).Count > 0)
            errors.Add($"{s}:Host is needed to e-mail the weekly report to {Reports.ReportScheduleOptions.SectionName}:Recipients.");
        if (!string.IsNullOrEmpty(options.Password) && Secrets.SecretProtector.IsProtected(options.Password) && protector.TryUnprotect(options.Password) is null)
            errors.Add($"{s}:Password is encrypted with a Data Protection key this dashboard does not have: encrypt it again on this dashboard or give it in clear through a protected environment variable.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

/// <summary>A list of addresses, given as config array items or comma/semicolon separated (or both).</summary>
public static class MailAddresses
{
    public static IReadOnlyList<string> Split(IEnumerable<string?> values) =>
        [.. values.SelectMany(v => (v ?? "").Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];

    /// <summary>The first address that is not one, or null when all are.</summary>
    public static string? FirstInvalid(IEnumerable<string> addresses) =>
        addresses.FirstOrDefault(a => !MailboxAddress.TryParse(a, out var m) || !m.Address.Contains('@'));
}

