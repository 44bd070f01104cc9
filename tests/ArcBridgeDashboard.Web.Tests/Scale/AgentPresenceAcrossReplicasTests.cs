using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Testing;
using ArcBridgeDashboard.Web.Agents;
using ArcBridgeDashboard.Web.Configuration;
using ArcBridgeDashboard.Web.Monitoring.Status;
using ArcBridgeDashboard.Web.Scale;
using ArcBridgeDashboard.Web.Tests.Agents;
using ArcBridgeDashboard.Web.Tests.Support;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace ArcBridgeDashboard.Web.Tests.Scale;

/// <summary>
/// An agent's live connection is held by one replica; the Agents page of every replica shows it live. Two in-process
/// apps on one real PostgreSQL database and one real redis-server (Debian's), the agent on the first.
/// </summary>
public sealed class AgentPresenceAcrossReplicasTests : IDisposable
{
    private readonly RedisServer _redis = new();

    [Fact]
    public async Task AgentsPage_AgentLiveOnTheFirstReplica_LiveOnTheSecondUntilItDisconnectsOrItsReplicaStops()
    {
        var first = new AgentsAppFactory(new Dictionary<string, string?> { ["ArcBridge:Redis:Configuration"] = _redis.Configuration }, DatabaseProvider.PostgreSql);
        try
        {
            first.CreateClient().Dispose(); // started: the database is migrated before the second replica starts on it
            using var second = new AgentsAppFactory(new Dictionary<string, string?>
            {
                ["ArcBridge:Redis:Configuration"] = _redis.Configuration,
                ["ArcBridge:Database:ConnectionString"] = first.Database,
            }, DatabaseProvider.PostgreSql);
            second.CreateClient().Dispose();
            await Task.WhenAll(Relay(first).Subscribed, Relay(second).Subscribed);
            var (agent, _) = await first.EnrollAsync("vm-on-first", Sources.ApplianceVm);
            Assert.False(await LiveOnAsync(second, agent.AgentId));

            await using (var hub = Connect(first, agent.Credential))
            {
                await hub.StartAsync();
                await Eventually.UntilAsync(() => LiveOnAsync(second, agent.AgentId), live => live, "the agent live on the second replica's Agents page");
                Assert.True(await LiveOnAsync(first, agent.AgentId));
                Assert.True(second.Services.GetRequiredService<AgentLiveness>().IsOnline(await AgentAsync(second, agent.AgentId), second.Time.GetUtcNow()));
                await hub.StopAsync();
            }
            await Eventually.UntilAsync(() => LiveOnAsync(second, agent.AgentId), live => !live, "the agent no longer live on the second replica after it disconnected");

            var again = Connect(first, agent.Credential);
            await again.StartAsync();
            await Eventually.UntilAsync(() => LiveOnAsync(second, agent.AgentId), live => live, "the agent live again on the second replica");
            await first.DisposeAsync(); // the replica holding the agent's connection stops
            await Eventually.UntilAsync(() => LiveOnAsync(second, agent.AgentId), live => !live, "the agent no longer live on the second replica after the first stopped");
            await again.DisposeAsync();
        }
        finally
        {
            await first.DisposeAsync();
        }
    }

    [Fact]
    public void IsConnected_PeerReplicaSilentPastTheExpiry_NotLiveAnyMoreAndChangedRaised()
    {
        var time = new FakeTimeProvider();
        var presence = new AgentPresence(time);
        var changed = new List<int>();
        presence.Changed += changed.Add;

        presence.SetPeer("replica-a", [7, 9]);
        Assert.True(presence.IsConnected(7));
        Assert.False(presence.IsConnectedHere(7));
        presence.SetPeer("replica-a", [9]); // 7 disconnected there
        Assert.False(presence.IsConnected(7));
        Assert.Equal([7, 9, 7], changed);

        time.Advance(AgentPresence.PeerExpiry - TimeSpan.FromSeconds(1));
        presence.ExpirePeers();
        Assert.True(presence.IsConnected(9));
        time.Advance(TimeSpan.FromSeconds(1)); // replica-a died: no announcement within the expiry
        Assert.False(presence.IsConnected(9));
        presence.ExpirePeers();
        Assert.Equal([7, 9, 7, 9], changed);
    }

    private static ReplicaEventRelay Relay(ArcBridgeAppFactory app) => app.Services.GetServices<IHostedService>().OfType<ReplicaEventRelay>().Single();

    private static async Task<bool> LiveOnAsync(ArcBridgeAppFactory app, int agentId)
    {
        var rows = await app.Services.GetRequiredService<AgentStatusQuery>().ListAsync();
        return rows.Single(r => r.Id == agentId).Connected;
    }

    private static async Task<Data.Agent> AgentAsync(ArcBridgeAppFactory app, int agentId)
    {
        await using var db = app.CreateDbContext();
        return await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Agents, a => a.Id == agentId);
    }

    private static HubConnection Connect(ArcBridgeAppFactory app, string credential) => new HubConnectionBuilder()
        .WithUrl(new Uri(app.Server.BaseAddress, AgentApi.HubPath), HttpTransportType.LongPolling, o =>
        {
            o.HttpMessageHandlerFactory = _ => app.Server.CreateHandler();
            o.AccessTokenProvider = () => Task.FromResult<string?>(credential);
        })
        .Build();

    public void Dispose() => _redis.Dispose();
}
