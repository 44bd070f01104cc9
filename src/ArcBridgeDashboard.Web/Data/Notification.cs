using ArcBridgeDashboard.Probes.Contracts;

namespace ArcBridgeDashboard.Web.Data;

public enum NotificationChannelKind
{
    /// <summary>A generic JSON POST (optionally signed with a shared secret).</summary>
    Webhook,
    /// <summary>A Teams (or Power Automate) incoming webhook: an Adaptive Card in a message attachment.</summary>
    Teams,
    /// <summary>A Slack incoming webhook: text plus blocks.</summary>
    Slack,
    /// <summary>E-mail through the configured SMTP server (ArcBridge:Smtp).</summary>
    Email,
}

/// <summary>Where a notification goes. The webhook URL and secret are stored encrypted (SecretProtector) and never shown back.</summary>
public sealed class NotificationChannel
{
    public int Id { get; set; }
    public string Name { get; set; } = "";
    public NotificationChannelKind Kind { get; set; }
    /// <summary>The webhook URL, protected ("dp1:…"): a Teams or Slack URL is itself the credential.</summary>
    public string? ProtectedUrl { get; set; }
    /// <summary>Scheme and host of the URL only, to tell channels apart on the page without revealing the URL.</summary>
    public string? UrlHost { get; set; }
    /// <summary>Generic webhook: a shared secret, protected, that signs the body (X-ArcBridge-Signature).</summary>
    public string? ProtectedSecret { get; set; }
    /// <summary>E-mail: recipients, comma-separated.</summary>
    public string? Recipients { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public List<NotificationRule> Rules { get; set; } = [];
}

/// <summary>
/// When to tell whom: on a confirmed failure, a recovery, or a change of overall readiness, scoped by service,
/// source role and optionally agent (null = any), sent to its channels.
/// </summary>
public sealed class NotificationRule
{
    public int Id { get; set; }
    public string Name { get; set; } = "";
    public bool OnFailure { get; set; }
    public bool OnRecovery { get; set; }
    public bool OnReadinessChange { get; set; }
    public string? Service { get; set; }
    public Sources? Role { get; set; }
    public int? AgentId { get; set; }
    public bool Enabled { get; set; } = true;
    public DateTimeOffset CreatedAt { get; set; }
    public List<NotificationChannel> Channels { get; set; } = [];
}

/// <summary>A planned quiet period: matching notifications are not sent but recorded as silenced.</summary>
public sealed class MaintenanceWindow
{
    public int Id { get; set; }
    public DateTimeOffset StartsAt { get; set; }
    public DateTimeOffset EndsAt { get; set; }
    public string? Service { get; set; }
    public Sources? Role { get; set; }
    public int? AgentId { get; set; }
    public string Reason { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}

public enum DeliveryStatus
{
    /// <summary>Waiting for its (next) attempt; survives a restart.</summary>
    Pending,
    Delivered,
    /// <summary>Every attempt failed.</summary>
    Failed,
    /// <summary>Not sent: a maintenance window covered it.</summary>
    Silenced,
}

/// <summary>One notification for one channel: the queue of pending sends and the history at once.</summary>
public sealed class NotificationDelivery
{
    public long Id { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public int? RuleId { get; set; }
    public string RuleName { get; set; } = "";
    public int? ChannelId { get; set; }
    public string ChannelName { get; set; } = "";
    public NotificationChannelKind ChannelKind { get; set; }
    /// <summary>Who it went to, safe to show: e-mail addresses, or the webhook's host (never its URL).</summary>
    public string Recipient { get; set; } = "";
    /// <summary>The confirmed change behind it; null for readiness and test notifications.</summary>
    public long? ChangeEventId { get; set; }
    public string Title { get; set; } = "";
    /// <summary>The message (Notifications.NotificationMessage as JSON): what a retry after a restart sends.</summary>
    public string MessageJson { get; set; } = "";
    public DeliveryStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset? NextAttemptAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    /// <summary>The last attempt's error, or "silenced by maintenance window …".</summary>
    public string? Error { get; set; }
    public int? MaintenanceWindowId { get; set; }
}
