using System.Threading.Channels;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Data;
using ArcBridgeDashboard.Web.Monitoring;
using ArcBridgeDashboard.Web.Reports;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ArcBridgeDashboard.Web.Notifications;

/// <summary>
/// Turns confirmed changes and readiness flips into deliveries and sends them. Intake: the notifier's handlers only
/// write to a bounded in-memory queue (ingest and probing never wait for a notification). A worker matches rules and
/// maintenance windows and writes each delivery to the database first, so a restart loses nothing pending; the
/// sender then attempts what is due, retrying on <see cref="TimeProvider"/> until MaxAttempts.
/// With several replicas each one plans the deliveries of the results it stored (relayed events are skipped), and only
/// the leader sends, looking for deliveries the others planned at least every lease retry interval.
/// </summary>
public sealed partial class NotificationDispatcher(
    LiveStatusNotifier notifier, IServiceScopeFactory scopes, IDbContextFactory<ArcBridgeDbContext> dbs, ChannelSender sender,
    Scale.ILeaderLease lease, IOptions<NotificationOptions> options, TimeProvider time, ILogger<NotificationDispatcher> logger) : BackgroundService
{
    public const int QueueCapacity = 1000;
    /// <summary>The Setting row holding the last overall readiness verdict seen, so a restart does not announce it again.</summary>
    public const string ReadinessKey = "notifications.readiness";

    private sealed record Work(IReadOnlyList<ConfirmedChangeEvent> Changes);

    private readonly Channel<Work> _queue = Channel.CreateBounded<Work>(new BoundedChannelOptions(QueueCapacity)
    {
        FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true,
    });
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>When the sender is asleep with deliveries waiting, until when (tests wait for this before moving the fake clock).</summary>
    internal DateTimeOffset? SleepingUntil { get; private set; }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        notifier.ChangesConfirmed += OnChangesConfirmed;
        notifier.SweepFinished += OnSweepFinished;
        return base.StartAsync(cancellationToken);
    }

    public override Task StopAsync(CancellationToken cancellationToken)
    {
        notifier.ChangesConfirmed -= OnChangesConfirmed;
        notifier.SweepFinished -= OnSweepFinished;
        return base.StopAsync(cancellationToken);
    }

    // Runs on the ingest thread: enqueue and return. A full queue drops the work with a warning instead of waiting.
    private void OnChangesConfirmed(IReadOnlyList<ConfirmedChangeEvent> changes)
    {
        if (changes.Count == 0 || changes[0].FromPeer)
            return;
        if (!_queue.Writer.TryWrite(new Work(changes)))
            LogQueueFull(changes.Count);
    }

    // An agent going quiet changes readiness without any confirmed change: re-evaluate after each sweep.
    private void OnSweepFinished(SweepFinishedEvent e)
    {
        if (!e.FromPeer)
            _queue.Writer.TryWrite(new Work([]));
    }

    /// <summary>Wakes the sender (a delivery was added outside the queue, e.g. a test message from the page).</summary>
    public void Wake() => _wake.TrySetResult();

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Task.Run(() => IntakeAsync(stoppingToken), stoppingToken), Task.Run(() => SendLoopAsync(stoppingToken), stoppingToken));

    private async Task IntakeAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var work in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    if (await PlanAsync(work, stoppingToken) > 0)
                        Wake();
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogPlanFailed(ex);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Writes the deliveries (pending or silenced) a piece of work calls for; returns how many are pending.</summary>
    private async Task<int> PlanAsync(Work work, CancellationToken cancellationToken)
    {
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        var rules = await db.NotificationRules.AsNoTracking().Include(r => r.Channels).Where(r => r.Enabled).ToListAsync(cancellationToken);
        var windows = await db.MaintenanceWindows.AsNoTracking().Where(w => w.EndsAt > now).ToListAsync(cancellationToken);
        windows = [.. windows.Where(w => w.StartsAt <= now)];
        var url = options.Value.DashboardUrl;
        var pending = 0;

        foreach (var change in work.Changes)
        {
            if (KindOf(change) is not { } kind)
                continue;
            var message = NotificationMessage.For(change, kind, url);
            var window = windows.FirstOrDefault(w => Covers(w, change.Service, change.AgentRole, change.AgentId));
            foreach (var rule in rules.Where(r => Wants(r, kind) && Matches(r, change)))
                pending += Add(db, rule, message, change.ChangeId, window, now);
        }

        // The overall verdict costs a report build: only worked out while some rule wants it.
        if (rules.Any(r => r.OnReadinessChange))
            pending += await ReadinessAsync(db, rules, windows, now, cancellationToken);

        await db.SaveChangesAsync(cancellationToken);
        return pending;
    }

    /// <summary>Failure, reason change or recovery; null for what no one is told (optional endpoints, first passes, Warn ↔ Pass).</summary>
    internal static NotificationEvent? KindOf(ConfirmedChangeEvent change)
    {
        if (!change.Required)
            return null;
        return (change.From, change.To) switch
        {
            (Verdict.Fail, Verdict.Fail) => NotificationEvent.ReasonChange,
            (_, Verdict.Fail) => NotificationEvent.Failure,
            (Verdict.Fail, _) => NotificationEvent.Recovery,
            _ => null,
        };
    }

    private static bool Wants(NotificationRule rule, NotificationEvent kind) => kind switch
    {
        NotificationEvent.Failure or NotificationEvent.ReasonChange => rule.OnFailure,
        NotificationEvent.Recovery => rule.OnRecovery,
        NotificationEvent.Readiness => rule.OnReadinessChange,
        _ => false,
    };

    internal static bool Matches(NotificationRule rule, ConfirmedChangeEvent change) =>
        (rule.Service is null || string.Equals(rule.Service, change.Service, StringComparison.OrdinalIgnoreCase))
        && (rule.Role is null || (rule.Role.Value & change.AgentRole) != 0)
        && (rule.AgentId is null || rule.AgentId == change.AgentId);

    /// <summary>A window without scope covers everything, readiness included; a scoped one only changes inside its scope.</summary>
    internal static bool Covers(MaintenanceWindow w, string? service, Sources? role, int? agentId) =>
        (w.Service is null || (service is not null && string.Equals(w.Service, service, StringComparison.OrdinalIgnoreCase)))
        && (w.Role is null || (role is not null && (w.Role.Value & role.Value) != 0))
        && (w.AgentId is null || w.AgentId == agentId);

    private int Add(ArcBridgeDbContext db, NotificationRule rule, NotificationMessage message, long? changeId, MaintenanceWindow? window, DateTimeOffset now)
    {
        var pending = 0;
        foreach (var channel in rule.Channels)
        {
            var delivery = new NotificationDelivery
            {
                CreatedAt = now, RuleId = rule.Id, RuleName = rule.Name, ChannelId = channel.Id, ChannelName = channel.Name, ChannelKind = channel.Kind,
                Recipient = ChannelSender.RecipientOf(channel), ChangeEventId = changeId, Title = message.Title, MessageJson = message.ToJson(),
            };
            if (window is null)
            {
                delivery.Status = DeliveryStatus.Pending;
                delivery.NextAttemptAt = now;
                pending++;
            }
            else
            {
                delivery.Status = DeliveryStatus.Silenced;
                delivery.CompletedAt = now;
                delivery.MaintenanceWindowId = window.Id;
                delivery.Error = $"silenced by maintenance window {window.Id} “{window.Reason}” ({window.StartsAt.ToUniversalTime():yyyy-MM-dd HH:mm}–{window.EndsAt.ToUniversalTime():HH:mm} UTC)";
                LogSilenced(rule.Name, channel.Name, window.Id);
            }
            db.NotificationDeliveries.Add(delivery);
        }
        return pending;
    }

    private async Task<int> ReadinessAsync(ArcBridgeDbContext db, List<NotificationRule> rules, List<MaintenanceWindow> windows, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ReadinessReport report;
        await using (var scope = scopes.CreateAsyncScope())
            report = await scope.ServiceProvider.GetRequiredService<ReportBuilder>().BuildAsync("notifications", cancellationToken);
        var previous = await RememberReadinessAsync(db, report.Verdict, now, cancellationToken);
        if (previous is null || previous == report.Verdict)
            return 0;
        var message = NotificationMessage.ForReadiness(previous.Value, report.Verdict, report.Counts.Ready, report.Counts.Total, report.Blockers, now, options.Value.DashboardUrl);
        var window = windows.FirstOrDefault(w => Covers(w, null, null, null));
        var pending = 0;
        foreach (var rule in rules.Where(r => r.OnReadinessChange))
            pending += Add(db, rule, message, null, window, now);
        return pending;
    }

    /// <summary>Stores the verdict and returns the one stored before (null the first time).</summary>
    private static async Task<ReportVerdict?> RememberReadinessAsync(ArcBridgeDbContext db, ReportVerdict verdict, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var row = await db.Settings.FindAsync([ReadinessKey], cancellationToken);
        ReportVerdict? previous = row is not null && Enum.TryParse<ReportVerdict>(row.Value, out var p) ? p : null;
        if (row is null)
            db.Settings.Add(new Setting { Key = ReadinessKey, Value = verdict.ToString(), UpdatedAt = now });
        else if (previous != verdict)
        {
            row.Value = verdict.ToString();
            row.UpdatedAt = now;
        }
        return previous;
    }

    private async Task SendLoopAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var wake = _wake;
            if (wake.Task.IsCompleted)
            {
                Interlocked.CompareExchange(ref _wake, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), wake);
                wake = _wake;
            }
            DateTimeOffset? next;
            try
            {
                next = lease.IsLeader ? await SendDueAsync(stoppingToken) : null;
                // Other replicas plan deliveries too: the leader looks again within a lease interval, a follower
                // asks for the lease again.
                if (lease.IsShared && time.GetUtcNow() + lease.RetryInterval is var poll && (next is null || next > poll))
                    next = poll;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The database was busy or gone: try again after the retry delay rather than spin.
                LogSendLoopFailed(ex);
                next = time.GetUtcNow() + options.Value.RetryDelay;
            }
            using var delay = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            try
            {
                SleepingUntil = next;
                var waits = new List<Task> { wake.Task };
                if (next is { } due)
                {
                    var wait = due - time.GetUtcNow();
                    waits.Add(Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, time, delay.Token));
                }
                else
                    waits.Add(Task.Delay(Timeout.InfiniteTimeSpan, delay.Token));
                await Task.WhenAny(waits);
                stoppingToken.ThrowIfCancellationRequested();
            }
            catch (OperationCanceledException)
            {
                return;
            }
            finally
            {
                SleepingUntil = null;
                await delay.CancelAsync();
            }
        }
    }

    /// <summary>Attempts every due delivery, oldest first; returns when the next pending one is due (null: none).</summary>
    internal async Task<DateTimeOffset?> SendDueAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await using var db = await dbs.CreateDbContextAsync(cancellationToken);
            var now = time.GetUtcNow();
            var pending = await db.NotificationDeliveries.Where(d => d.Status == DeliveryStatus.Pending).ToListAsync(cancellationToken);
            var due = pending.Where(d => (d.NextAttemptAt ?? now) <= now).OrderBy(d => d.NextAttemptAt).ThenBy(d => d.Id).FirstOrDefault();
            if (due is null)
                return pending.Count == 0 ? null : pending.Min(d => d.NextAttemptAt ?? now);
            await AttemptAsync(db, due, cancellationToken);
        }
    }

    private async Task AttemptAsync(ArcBridgeDbContext db, NotificationDelivery delivery, CancellationToken cancellationToken)
    {
        var channel = delivery.ChannelId is { } id ? await db.NotificationChannels.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, cancellationToken) : null;
        delivery.Attempts++;
        string? error = null;
        if (channel is null)
            error = "The channel was deleted before this could be sent.";
        else
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(options.Value.WebhookTimeout);
                await sender.SendAsync(channel, NotificationMessage.FromJson(delivery.MessageJson), timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                error = $"No answer within {options.Value.WebhookTimeout.TotalSeconds:0} s ({NotificationOptions.SectionName}:WebhookTimeout).";
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                error = ex.Message;
            }
        }
        var now = time.GetUtcNow();
        if (error is null)
        {
            delivery.Status = DeliveryStatus.Delivered;
            delivery.CompletedAt = now;
            delivery.NextAttemptAt = null;
            LogDelivered(delivery.Id, delivery.ChannelName, delivery.Attempts);
        }
        else
        {
            delivery.Error = error.Length > 2000 ? error[..2000] : error;
            if (channel is null || delivery.Attempts >= options.Value.MaxAttempts)
            {
                delivery.Status = DeliveryStatus.Failed;
                delivery.CompletedAt = now;
                delivery.NextAttemptAt = null;
                LogGaveUp(delivery.Id, delivery.ChannelName, delivery.Attempts, error);
            }
            else
            {
                delivery.NextAttemptAt = now + options.Value.RetryDelay;
                LogRetry(delivery.Id, delivery.ChannelName, delivery.Attempts, error, delivery.NextAttemptAt.Value);
            }
        }
        // Not the request's token: what was sent must be recorded even while the app stops.
        await db.SaveChangesAsync(CancellationToken.None);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The notification queue is full ({Capacity}); {Count} confirmed change(s) will not be notified")]
    private partial void LogQueueFullCore(int capacity, int count);
    private void LogQueueFull(int count) => LogQueueFullCore(QueueCapacity, count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Planning notifications failed")]
    private partial void LogPlanFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "The notification sender failed; it tries again after the retry delay")]
    private partial void LogSendLoopFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Notification of rule {Rule} to channel {Channel} silenced by maintenance window {WindowId}")]
    private partial void LogSilenced(string rule, string channel, int windowId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Notification {DeliveryId} delivered to channel {Channel} after {Attempts} attempt(s)")]
    private partial void LogDelivered(long deliveryId, string channel, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification {DeliveryId} to channel {Channel} failed (attempt {Attempts}): {Error}; next attempt at {NextAt}")]
    private partial void LogRetry(long deliveryId, string channel, int attempts, string error, DateTimeOffset nextAt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Notification {DeliveryId} to channel {Channel} failed after {Attempts} attempt(s): {Error}")]
    private partial void LogGaveUp(long deliveryId, string channel, int attempts, string error);
}
