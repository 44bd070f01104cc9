using System.Collections.Concurrent;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Testing;
using ArcBridgeDashboard.Web.Agents;
using ArcBridgeDashboard.Web.Data;
using ArcBridgeDashboard.Web.Monitoring;
using ArcBridgeDashboard.Web.Scale;
using ArcBridgeDashboard.Web.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ArcBridgeDashboard.Web.Tests.Scale;

/// <summary>
/// Two replicas' relays on one real redis-server (Debian's): what one replica stores reaches the other's subscribers
/// once, whole, marked as a peer's, and never comes back to the replica that raised it.
/// </summary>
public sealed class ReplicaEventRelayTests : IDisposable
{
    private readonly RedisServer _redis = new();

    private sealed class Replica : IAsyncDisposable
    {
        public LiveStatusNotifier Notifier { get; } = new(NullLogger<LiveStatusNotifier>.Instance);
        public AgentPresence Presence { get; } = new();
        public RedisConnection Connection { get; }
        public ReplicaEventRelay Relay { get; }
        public ConcurrentQueue<ResultArrivedEvent> Results { get; } = new();
        public ConcurrentQueue<SweepFinishedEvent> Finished { get; } = new();
        public ConcurrentQueue<ConfirmedChangeEvent> Changes { get; } = new();

        public Replica(string redis)
        {
            Connection = new RedisConnection(Options.Create(new RedisScaleOptions { Configuration = redis }));
            Relay = new ReplicaEventRelay(Connection, Notifier, Presence, NullLogger<ReplicaEventRelay>.Instance);
            Notifier.ResultArrived += Results.Enqueue;
            Notifier.SweepFinished += Finished.Enqueue;
            Notifier.ChangesConfirmed += list => { foreach (var c in list) Changes.Enqueue(c); };
        }

        public async ValueTask DisposeAsync()
        {
            await Relay.StopAsync(CancellationToken.None);
            Relay.Dispose();
            await Connection.DisposeAsync();
        }
    }

    [Fact]
    public async Task EventsOfOneReplica_ReachTheOtherOnce_MarkedFromPeer_AndNeverEchoBack()
    {
        await using var a = new Replica(_redis.Configuration);
        await using var b = new Replica(_redis.Configuration);
        await a.Relay.StartAsync(CancellationToken.None);
        await b.Relay.StartAsync(CancellationToken.None);
        await Task.WhenAll(a.Relay.Subscribed, b.Relay.Subscribed);

        var at = DateTimeOffset.Parse("2026-03-02T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var result = new ProbeResult
        {
            EndpointKey = "arc-data-plane", TargetKey = "gbl.his.arc.azure.com:443/tcp", Service = "Arc data plane", Host = "gbl.his.arc.azure.com",
            Port = 443, Protocol = TransportProtocol.Tcp, Sources = Sources.ApplianceVm, Verdict = Verdict.Fail, Phase = Phase.Proxy,
            Reason = ReasonCode.ProxyDenied, Message = "denied by the proxy", StartedAt = at,
            TimingsMs = new Dictionary<string, double> { ["tcp"] = 2.25 },
        };
        var changed = new ChangedTarget(11, 3, result.TargetKey, result.Service, 2, "vm-agent", Sources.ApplianceVm, ReasonCode.ProxyDenied, "denied", result.Host);
        a.Notifier.NotifyResultArrived(new ResultArrivedEvent(41, 2, 11, result));
        a.Notifier.NotifyChangesConfirmed([new ConfirmedChangeEvent(5, 2, "vm-agent", Sources.ApplianceVm, 11, result.Service, result.Host, true,
            Verdict.Pass, Verdict.Fail, ReasonCode.ProxyDenied, "denied", at)]);
        a.Notifier.NotifySweepFinished(new SweepFinishedEvent(new SweepSummary(41, 2, SweepTrigger.Manual, at, at.AddSeconds(3), 1, 0, 0, 1,
            new SweepChangeSummary([changed], [], [], 40))));
        var sequence = a.Presence.RequestCheckNow(2);

        await Eventually.UntilAsync(() => Task.FromResult(b.Finished.Count), n => n >= 1, "the sweep's end on the other replica");
        await Eventually.UntilAsync(() => Task.FromResult(b.Presence.CheckNowSequence(2)), s => s == sequence, "the check-now sequence on the other replica");

        var relayed = Assert.Single(b.Results);
        Assert.True(relayed.FromPeer);
        Assert.Equal((41L, 2, 11), (relayed.SweepId, relayed.AgentId, relayed.TargetId));
        Assert.Equal((result.Id, result.TargetKey, result.Verdict, result.Reason, result.StartedAt),
            (relayed.Result.Id, relayed.Result.TargetKey, relayed.Result.Verdict, relayed.Result.Reason, relayed.Result.StartedAt));
        Assert.Equal(2.25, relayed.Result.TimingsMs["tcp"]);
        var change = Assert.Single(b.Changes);
        Assert.True(change.FromPeer);
        Assert.Equal((5L, Verdict.Pass, Verdict.Fail, ReasonCode.ProxyDenied), (change.ChangeId, change.From!.Value, change.To, change.Reason));
        var finished = Assert.Single(b.Finished);
        Assert.True(finished.FromPeer);
        Assert.Equal("vm-agent", Assert.Single(finished.Summary.Changes.NewlyFailing).AgentName);

        // Nothing came back to a (its own events were raised once, locally), and b relays nothing it did not store.
        Assert.All(a.Results, e => Assert.False(e.FromPeer));
        Assert.Single(a.Results);
        Assert.Single(a.Finished);
        Assert.Single(a.Changes);
    }

    public void Dispose() => _redis.Dispose();
}
