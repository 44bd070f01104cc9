using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Data;
using ArcBridgeDashboard.Web.Secrets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ArcBridgeDashboard.Web.Notifications;

/// <summary>A channel as the page shows it: never its URL or secret.</summary>
public sealed record ChannelView(int Id, string Name, NotificationChannelKind Kind, string Target, bool HasSecret, int RuleCount);

public sealed record RuleView(int Id, string Name, bool OnFailure, bool OnRecovery, bool OnReadinessChange, string? Service, Sources? Role,
    int? AgentId, string? AgentName, bool Enabled, IReadOnlyList<string> Channels);

public sealed record MaintenanceView(int Id, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string? Service, Sources? Role, string? AgentName, string Reason, bool Active);

public sealed record DeliveryView(long Id, DateTimeOffset CreatedAt, string Title, string RuleName, string ChannelName, NotificationChannelKind Kind,
    string Recipient, DeliveryStatus Status, int Attempts, DateTimeOffset? CompletedAt, DateTimeOffset? NextAttemptAt, string? Error);

/// <summary>A new channel as typed on the page. Url and Secret are write-only.</summary>
public sealed record ChannelInput(string Name, NotificationChannelKind Kind, string? Url, string? Secret, string? Recipients);

public sealed record RuleInput(string Name, bool OnFailure, bool OnRecovery, bool OnReadinessChange, string? Service, Sources? Role, int? AgentId, IReadOnlyCollection<int> ChannelIds);

public sealed record MaintenanceInput(DateTimeOffset? StartsAt, DateTimeOffset? EndsAt, string? Service, Sources? Role, int? AgentId, string Reason);

/// <summary>
/// Everything the Notifications page reads and changes. Each change validates first and answers with a sentence for
/// the page (null when done); one method per action so a sign-in policy can guard each.
/// </summary>
public sealed class NotificationAdmin(
    ArcBridgeDbContext db, SecretProtector protector, SmtpMailSender mail, NotificationDispatcher dispatcher,
    IOptions<NotificationOptions> options, TimeProvider time)
{
    public const int MaxNameLength = 100;

    public string SmtpDescription => mail.Describe();

    public bool SmtpConfigured => mail.Configured;

    public async Task<IReadOnlyList<ChannelView>> ChannelsAsync(CancellationToken cancellationToken = default) =>
        [.. (await db.NotificationChannels.AsNoTracking().Include(c => c.Rules).OrderBy(c => c.Name).ToListAsync(cancellationToken))
            .Select(c => new ChannelView(c.Id, c.Name, c.Kind, ChannelSender.RecipientOf(c), c.ProtectedSecret is not null, c.Rules.Count))];

    public async Task<IReadOnlyList<RuleView>> RulesAsync(CancellationToken cancellationToken = default)
    {
        var agents = await db.Agents.AsNoTracking().ToDictionaryAsync(a => a.Id, a => a.Name, cancellationToken);
        return [.. (await db.NotificationRules.AsNoTracking().Include(r => r.Channels).OrderBy(r => r.Name).ToListAsync(cancellationToken))
            .Select(r => new RuleView(r.Id, r.Name, r.OnFailure, r.OnRecovery, r.OnReadinessChange, r.Service, r.Role, r.AgentId,
                r.AgentId is { } a ? agents.GetValueOrDefault(a, $"agent {a}") : null, r.Enabled, [.. r.Channels.Select(c => c.Name).Order()]))];
    }

    public async Task<IReadOnlyList<MaintenanceView>> MaintenanceAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var agents = await db.Agents.AsNoTracking().ToDictionaryAsync(a => a.Id, a => a.Name, cancellationToken);
        var rows = await db.MaintenanceWindows.AsNoTracking().ToListAsync(cancellationToken);
        return [.. rows.OrderByDescending(w => w.StartsAt).Take(100).Select(w => new MaintenanceView(w.Id, w.StartsAt, w.EndsAt, w.Service, w.Role,
            w.AgentId is { } a ? agents.GetValueOrDefault(a, $"agent {a}") : null, w.Reason, w.StartsAt <= now && now < w.EndsAt))];
    }

    public async Task<IReadOnlyList<DeliveryView>> HistoryAsync(int take = 200, CancellationToken cancellationToken = default) =>
        [.. (await db.NotificationDeliveries.AsNoTracking().OrderByDescending(d => d.Id).Take(take).ToListAsync(cancellationToken))
            .Select(d => new DeliveryView(d.Id, d.CreatedAt, d.Title, d.RuleName, d.ChannelName, d.ChannelKind, d.Recipient, d.Status, d.Attempts,
                d.CompletedAt, d.NextAttemptAt, d.Error))];

    public async Task<IReadOnlyList<string>> ServicesAsync(CancellationToken cancellationToken = default) =>
        await db.Endpoints.AsNoTracking().Where(e => e.CatalogVersion!.IsActive).Select(e => e.Service).Distinct().OrderBy(s => s).ToListAsync(cancellationToken);

    public async Task<IReadOnlyList<(int Id, string Name)>> AgentsAsync(CancellationToken cancellationToken = default) =>
        [.. (await db.Agents.AsNoTracking().Where(a => a.RevokedAt == null).OrderBy(a => a.Name).Select(a => new { a.Id, a.Name }).ToListAsync(cancellationToken))
            .Select(a => (a.Id, a.Name))];

    public async Task<string?> AddChannelAsync(ChannelInput input, CancellationToken cancellationToken = default)
    {
        var name = input.Name.Trim();
        if (name.Length is 0 or > MaxNameLength)
            return $"Give the channel a name (up to {MaxNameLength} characters).";
        if (await db.NotificationChannels.AnyAsync(c => c.Name == name, cancellationToken))
            return $"There is already a channel named “{name}”.";
        var channel = new NotificationChannel { Name = name, Kind = input.Kind, CreatedAt = time.GetUtcNow() };
        if (input.Kind == NotificationChannelKind.Email)
        {
            var to = MailAddresses.Split([input.Recipients]);
            if (to.Count == 0)
                return "Give at least one recipient's e-mail address (several: comma-separated).";
            if (MailAddresses.FirstInvalid(to) is { } bad)
                return $"“{bad}” is not an e-mail address.";
            if (!mail.Configured)
                return $"E-mail is not configured on this dashboard: set {SmtpOptions.SectionName}:Host and :From first.";
            channel.Recipients = string.Join(", ", to);
        }
        else
        {
            if (!Uri.TryCreate(input.Url?.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
                return "The webhook URL must be an http or https address (https for anything that leaves your network).";
            channel.ProtectedUrl = protector.Protect(uri.ToString());
            channel.UrlHost = $"{uri.Scheme}://{uri.Authority}";
            if (!string.IsNullOrEmpty(input.Secret))
            {
                if (input.Kind != NotificationChannelKind.Webhook)
                    return "Only a generic JSON webhook signs its body with a secret; Teams and Slack URLs are their own secret.";
                channel.ProtectedSecret = protector.Protect(input.Secret);
            }
        }
        db.NotificationChannels.Add(channel);
        await db.SaveChangesAsync(cancellationToken);
        return null;
    }

    public async Task<string?> DeleteChannelAsync(int id, CancellationToken cancellationToken = default)
    {
        var channel = await db.NotificationChannels.Include(c => c.Rules).SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (channel is null)
            return "That channel no longer exists.";
        db.NotificationChannels.Remove(channel);
        await db.SaveChangesAsync(cancellationToken);
        return null;
    }

    /// <summary>Queues a test message to one channel, sent and recorded like any other.</summary>
    public async Task<string?> SendTestAsync(int id, CancellationToken cancellationToken = default)
    {
        var channel = await db.NotificationChannels.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (channel is null)
            return "That channel no longer exists.";
        var now = time.GetUtcNow();
        var message = NotificationMessage.ForTest(channel.Name, now, options.Value.DashboardUrl);
        db.NotificationDeliveries.Add(new NotificationDelivery
        {
            CreatedAt = now, RuleName = "(test)", ChannelId = channel.Id, ChannelName = channel.Name, ChannelKind = channel.Kind,
            Recipient = ChannelSender.RecipientOf(channel), Title = message.Title, MessageJson = message.ToJson(),
            Status = DeliveryStatus.Pending, NextAttemptAt = now,
        });
        await db.SaveChangesAsync(cancellationToken);
        dispatcher.Wake();
        return null;
    }

    public async Task<string?> AddRuleAsync(RuleInput input, CancellationToken cancellationToken = default)
    {
        var name = input.Name.Trim();
        if (name.Length is 0 or > MaxNameLength)
            return $"Give the rule a name (up to {MaxNameLength} characters).";
        if (!input.OnFailure && !input.OnRecovery && !input.OnReadinessChange)
            return "Choose when the rule fires: on failure, on recovery or on a change of readiness.";
        if (input.ChannelIds.Count == 0)
            return "Choose at least one channel (add one on the Channels tab first).";
        var channels = await db.NotificationChannels.Where(c => input.ChannelIds.Contains(c.Id)).ToListAsync(cancellationToken);
        if (channels.Count != input.ChannelIds.Count)
            return "A chosen channel no longer exists.";
        db.NotificationRules.Add(new NotificationRule
        {
            Name = name, OnFailure = input.OnFailure, OnRecovery = input.OnRecovery, OnReadinessChange = input.OnReadinessChange,
            Service = string.IsNullOrWhiteSpace(input.Service) ? null : input.Service.Trim(), Role = input.Role is Sources.None ? null : input.Role,
            AgentId = input.AgentId, CreatedAt = time.GetUtcNow(), Channels = channels,
        });
        await db.SaveChangesAsync(cancellationToken);
        return null;
    }

    public async Task<string?> SetRuleEnabledAsync(int id, bool enabled, CancellationToken cancellationToken = default)
    {
        var updated = await db.NotificationRules.Where(r => r.Id == id).ExecuteUpdateAsync(s => s.SetProperty(r => r.Enabled, enabled), cancellationToken);
        return updated == 0 ? "That rule no longer exists." : null;
    }

    public async Task<string?> DeleteRuleAsync(int id, CancellationToken cancellationToken = default)
    {
        var rule = await db.NotificationRules.Include(r => r.Channels).SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (rule is null)
            return "That rule no longer exists.";
        db.NotificationRules.Remove(rule);
        await db.SaveChangesAsync(cancellationToken);
        return null;
    }

    public async Task<string?> AddMaintenanceAsync(MaintenanceInput input, CancellationToken cancellationToken = default)
    {
        if (input.StartsAt is not { } start || input.EndsAt is not { } end)
            return "Give the window's start and end.";
        if (end <= start)
            return "The window must end after it starts.";
        if (end <= time.GetUtcNow())
            return "The window is already over: give an end in the future.";
        var reason = input.Reason.Trim();
        if (reason.Length is 0 or > 500)
            return "Say why (up to 500 characters), e.g. “proxy upgrade CHG-1234”: the History tab shows it on every silenced notification.";
        db.MaintenanceWindows.Add(new MaintenanceWindow
        {
            StartsAt = start, EndsAt = end, Reason = reason, Service = string.IsNullOrWhiteSpace(input.Service) ? null : input.Service.Trim(),
            Role = input.Role is Sources.None ? null : input.Role, AgentId = input.AgentId, CreatedAt = time.GetUtcNow(),
        });
        await db.SaveChangesAsync(cancellationToken);
        return null;
    }

    /// <summary>Ends a window now (an active one), or removes a future one.</summary>
    public async Task<string?> EndMaintenanceAsync(int id, CancellationToken cancellationToken = default)
    {
        var window = await db.MaintenanceWindows.SingleOrDefaultAsync(w => w.Id == id, cancellationToken);
        if (window is null)
            return "That window no longer exists.";
        var now = time.GetUtcNow();
        if (window.StartsAt > now)
            db.MaintenanceWindows.Remove(window);
        else if (window.EndsAt > now)
            window.EndsAt = now;
        await db.SaveChangesAsync(cancellationToken);
        return null;
    }
}
