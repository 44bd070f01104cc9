using System.Text.Json;
using System.Text.Json.Serialization;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Agents;
using ArcBridgeDashboard.Web.Monitoring;
using StackExchange.Redis;

namespace ArcBridgeDashboard.Web.Scale;

/// <summary>
/// Carries this replica's live events to the others through Redis pub/sub (the backplane's connection), and theirs to
/// this one: sweeps and results stored (raised after their commit), confirmed changes, check-now sequences and
/// revocations. Relayed events are raised here marked FromPeer, so browsers on every replica follow every agent,
/// while notifications and metrics stay with the replica that stored the result. Only runs with ArcBridge:Redis.
/// Each replica also announces the agents live on it (their hub connection is held by one replica): on every connect
/// and disconnect, every <see cref="AgentPresence.PeerAnnounceEvery"/>, when another replica starts (it asks), and an
/// empty set when it stops; the others forget a replica that stayed silent for <see cref="AgentPresence.PeerExpiry"/>.
/// So the Agents page's live badge and <see cref="Monitoring.Status.AgentLiveness"/> read the same on every replica.
/// </summary>
public sealed partial class ReplicaEventRelay(
    RedisConnection redis, LiveStatusNotifier notifier, AgentPresence presence, ILogger<ReplicaEventRelay> logger, TimeProvider? time = null) : IHostedService, IDisposable
{
    private static readonly JsonSerializerOptions Json = new(ProbeJson.Options) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>This process, so its own messages coming back from Redis are ignored.</summary>
    internal string Origin { get; } = Guid.NewGuid().ToString("N");

    private static readonly TimeSpan SubscribeRetry = TimeSpan.FromSeconds(5);
    private readonly CancellationTokenSource _stopping = new();
    private ISubscriber? _subscriber;
    private RedisChannel _channel;
    private Task _subscribing = Task.CompletedTask;
    private Task _announcing = Task.CompletedTask;

    /// <summary>Completes once this replica listens to the others (tests wait for it).</summary>
    internal Task Subscribed => _subscribing;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Connects in the background when Redis is not there yet: the replica starts and serves its own browsers and
        // agents meanwhile, and shares events once Redis answers (StackExchange.Redis reconnects by itself).
        var connection = await redis.ConnectAsync();
        _subscriber = connection.GetSubscriber();
        _channel = redis.Channel("live");
        notifier.SweepStarted += OnSweepStarted;
        notifier.ResultArrived += OnResultArrived;
        notifier.SweepFinished += OnSweepFinished;
        notifier.ChangesConfirmed += OnChangesConfirmed;
        presence.CheckNowRequested += OnCheckNowRequested;
        presence.Aborted += OnAborted;
        presence.LocalChanged += AnnouncePresence;
        _subscribing = SubscribeAsync(_subscriber, _stopping.Token);
        _announcing = AnnounceEveryAsync(_stopping.Token);
        LogStarted(connection.IsConnected);
    }

    private async Task SubscribeAsync(ISubscriber subscriber, CancellationToken stopping)
    {
        for (var attempt = 1; !stopping.IsCancellationRequested; attempt++)
        {
            try
            {
                var queue = await subscriber.SubscribeAsync(_channel);
                queue.OnMessage(message => Receive(message.Message));
                if (attempt > 1)
                    LogSubscribed();
                // Listening now: ask the others for their live agents, and tell them ours.
                Publish(new Envelope { Kind = Kinds.PresenceHello });
                AnnouncePresence();
                return;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                LogSubscribeFailed(attempt, SubscribeRetry.TotalSeconds, ex.Message);
            }
            try
            {
                await Task.Delay(SubscribeRetry, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        notifier.SweepStarted -= OnSweepStarted;
        notifier.ResultArrived -= OnResultArrived;
        notifier.SweepFinished -= OnSweepFinished;
        notifier.ChangesConfirmed -= OnChangesConfirmed;
        presence.CheckNowRequested -= OnCheckNowRequested;
        presence.Aborted -= OnAborted;
        presence.LocalChanged -= AnnouncePresence;
        await _subscribing;
        await _announcing;
        if (_subscriber is { Multiplexer.IsConnected: true })
        {
            // Its agents' connections end with it: the others stop showing them live now, not after the expiry.
            try
            {
                await _subscriber.PublishAsync(_channel, JsonSerializer.Serialize(new Envelope { Origin = Origin, Kind = Kinds.Presence, Agents = [] }, Json));
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                LogPublishFailed(ex.Message);
            }
            await _subscriber.UnsubscribeAsync(_channel);
        }
    }

    /// <summary>Re-announces this replica's live agents and forgets replicas that went silent, every <see cref="AgentPresence.PeerAnnounceEvery"/>.</summary>
    private async Task AnnounceEveryAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(AgentPresence.PeerAnnounceEvery, time ?? TimeProvider.System);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                AnnouncePresence();
                presence.ExpirePeers();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void AnnouncePresence() => Publish(new Envelope { Kind = Kinds.Presence, Agents = [.. presence.ConnectedHere()] });

    public void Dispose() => _stopping.Dispose();

    private void OnSweepStarted(SweepStartedEvent e)
    {
        if (!e.FromPeer)
            Publish(new Envelope { Kind = Kinds.SweepStarted, SweepStarted = e });
    }

    private void OnResultArrived(ResultArrivedEvent e)
    {
        if (!e.FromPeer)
            Publish(new Envelope { Kind = Kinds.ResultArrived, ResultArrived = e });
    }

    private void OnSweepFinished(SweepFinishedEvent e)
    {
        if (!e.FromPeer)
            Publish(new Envelope { Kind = Kinds.SweepFinished, SweepFinished = e });
    }

    private void OnChangesConfirmed(IReadOnlyList<ConfirmedChangeEvent> changes)
    {
        var own = changes.Where(c => !c.FromPeer).ToList();
        if (own.Count > 0)
            Publish(new Envelope { Kind = Kinds.ChangesConfirmed, Changes = own });
    }

    private void OnCheckNowRequested(int agentId, long sequence) =>
        Publish(new Envelope { Kind = Kinds.CheckNow, AgentId = agentId, Sequence = sequence });

    private void OnAborted(int agentId) => Publish(new Envelope { Kind = Kinds.Abort, AgentId = agentId });

    private void Publish(Envelope envelope)
    {
        try
        {
            envelope.Origin = Origin;
            _subscriber?.Publish(_channel, JsonSerializer.Serialize(envelope, Json), CommandFlags.FireAndForget);
        }
        catch (Exception ex) when (ex is RedisException or ObjectDisposedException)
        {
            LogPublishFailed(ex.Message);
        }
    }

    internal void Receive(RedisValue message)
    {
        Envelope? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize<Envelope>(message.ToString(), Json);
        }
        catch (JsonException ex)
        {
            LogBadMessage(ex.Message);
            return;
        }
        if (envelope is null || envelope.Origin == Origin)
            return;
        switch (envelope.Kind)
        {
            case Kinds.SweepStarted when envelope.SweepStarted is { } e:
                notifier.NotifySweepStarted(e with { FromPeer = true });
                break;
            case Kinds.ResultArrived when envelope.ResultArrived is { } e:
                notifier.NotifyResultArrived(e with { FromPeer = true });
                break;
            case Kinds.SweepFinished when envelope.SweepFinished is { } e:
                notifier.NotifySweepFinished(e with { FromPeer = true });
                break;
            case Kinds.ChangesConfirmed when envelope.Changes is { Count: > 0 } changes:
                notifier.NotifyChangesConfirmed([.. changes.Select(c => c with { FromPeer = true })]);
                break;
            case Kinds.CheckNow when envelope.AgentId is { } agentId && envelope.Sequence is { } sequence:
                presence.RecordCheckNow(agentId, sequence);
                break;
            case Kinds.Abort when envelope.AgentId is { } agentId:
                presence.Abort(agentId, fromPeer: true);
                break;
            case Kinds.Presence when envelope.Agents is { } agents:
                presence.SetPeer(envelope.Origin, agents);
                break;
            case Kinds.PresenceHello:
                AnnouncePresence();
                break;
        }
    }

    internal static class Kinds
    {
        public const string SweepStarted = "sweep-started";
        public const string ResultArrived = "result";
        public const string SweepFinished = "sweep-finished";
        public const string ChangesConfirmed = "changes";
        public const string CheckNow = "check-now";
        public const string Abort = "abort";
        public const string Presence = "presence";
        public const string PresenceHello = "presence-hello";
    }

    internal sealed class Envelope
    {
        public string Origin { get; set; } = "";
        public string Kind { get; set; } = "";
        public SweepStartedEvent? SweepStarted { get; set; }
        public ResultArrivedEvent? ResultArrived { get; set; }
        public SweepFinishedEvent? SweepFinished { get; set; }
        public List<ConfirmedChangeEvent>? Changes { get; set; }
        public int? AgentId { get; set; }
        public long? Sequence { get; set; }
        /// <summary>A presence announcement: the agents live on the sending replica.</summary>
        public List<int>? Agents { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Live events are shared with the other replicas through Redis (connected now: {Connected})")]
    private partial void LogStarted(bool connected);

    [LoggerMessage(Level = LogLevel.Error, Message = "Redis does not answer (attempt {Attempt}, again in {Seconds} s): live updates and check-now from other replicas do not reach this one until it does. {Message}")]
    private partial void LogSubscribeFailed(int attempt, double seconds, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis answers: live events of the other replicas reach this one again")]
    private partial void LogSubscribed();

    [LoggerMessage(Level = LogLevel.Warning, Message = "A live event could not be published to Redis: {Message}")]
    private partial void LogPublishFailed(string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A live event from another replica could not be read: {Message}")]
    private partial void LogBadMessage(string message);
}
