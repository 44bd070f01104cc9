using ArcBridgeDashboard.Web.Data;
using ArcBridgeDashboard.Web.Notifications;

namespace ArcBridgeDashboard.Web.Components.Pages.Notifications;

/// <summary>The tabs of /notifications, in order; ?tab= takes their lower-case names.</summary>
public enum NotificationsTab
{
    Rules,
    Channels,
    Maintenance,
    History,
}

/// <summary>Everything the Notifications view shows; secrets never reach it.</summary>
public sealed record NotificationsViewModel(
    IReadOnlyList<RuleView> Rules, IReadOnlyList<ChannelView> Channels, IReadOnlyList<MaintenanceView> Maintenance,
    IReadOnlyList<DeliveryView> History, IReadOnlyList<string> Services, IReadOnlyList<(int Id, string Name)> Agents,
    bool SmtpConfigured, string SmtpDescription)
{
    public static NotificationsViewModel Empty { get; } = new([], [], [], [], [], [], false, "");
}

public static class NotificationsText
{
    public static NotificationsTab TabOf(string? query) =>
        Enum.TryParse<NotificationsTab>(query, ignoreCase: true, out var tab) && Enum.IsDefined(tab) && !int.TryParse(query, out _) ? tab : NotificationsTab.Rules;

    public static string KindName(NotificationChannelKind kind) => kind switch
    {
        NotificationChannelKind.Webhook => "JSON webhook",
        NotificationChannelKind.Teams => "Teams",
        NotificationChannelKind.Slack => "Slack",
        _ => "E-mail",
    };

    public static string Triggers(RuleView rule) => string.Join(", ", new[]
    {
        rule.OnFailure ? "failure" : null, rule.OnRecovery ? "recovery" : null, rule.OnReadinessChange ? "readiness change" : null,
    }.Where(t => t is not null));

    public static string Scope(string? service, ArcBridgeDashboard.Probes.Contracts.Sources? role, string? agent)
    {
        var parts = new List<string>();
        parts.Add(service ?? "every service");
        parts.Add(role is { } r ? $"from {Shared.DisplayNames.DisplayName(r)}" : "from every role");
        if (agent is not null)
            parts.Add($"agent {agent}");
        return string.Join(" · ", parts);
    }

    public static string StatusName(DeliveryStatus status) => status switch
    {
        DeliveryStatus.Pending => "Pending",
        DeliveryStatus.Delivered => "Delivered",
        DeliveryStatus.Failed => "Failed",
        _ => "Silenced",
    };

    public static MudBlazor.Color StatusColor(DeliveryStatus status) => status switch
    {
        DeliveryStatus.Delivered => MudBlazor.Color.Success,
        DeliveryStatus.Failed => MudBlazor.Color.Error,
        DeliveryStatus.Pending => MudBlazor.Color.Warning,
        _ => MudBlazor.Color.Default,
    };

    public static string Utc(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture) + " UTC";
}
