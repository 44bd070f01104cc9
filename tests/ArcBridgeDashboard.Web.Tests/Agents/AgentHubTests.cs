using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Agents;
using ArcBridgeDashboard.Web.Tests.Support;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ArcBridgeDashboard.Web.Tests.Agents;

/// <summary>The live channel through the in-process server (long polling over TestServer).</summary>
/// <remarks>On both providers: <see cref="OnSqlite"/> and <see cref="OnPostgreSql"/>, each in its shared agents app.</remarks>
public abstract class AgentHubTests
{
    private readonly AgentsAppFactory _app;

    protected AgentHubTests(AgentsAppFactory app) => _app = app;

    [Collection(AgentsAppCollection.Name)]
    public sealed class OnSqlite(AgentsAppFactory app) : AgentHubTests(app);

    [Collection(PostgreSqlAgentsAppCollection.Name)]
    public sealed class OnPostgreSql(PostgreSqlAgentsAppFactory app) : AgentHubTests(app);

    [Fact]
    public async Task SendHeartbeat_AgentClockAheadWithBacklog_RecordsOffsetOutboxAndLastSeen()
    {
        var (agent, _) = await _app.EnrollAsync("hub-heartbeat");
        await using var hub = Connect(agent.Credential);
        await hub.StartAsync();
        _app.Time.Advance(TimeSpan.FromSeconds(30));

        await hub.InvokeAsync<long>("SendHeartbeat", new { agentTimeUnixMs = _app.Time.GetUtcNow().AddMinutes(1).ToUnixTimeMilliseconds(), outboxDepth = 7 });

        await using var db = _app.CreateDbContext();
        var row = await db.Agents.SingleAsync(a => a.Id == agent.AgentId);
        Assert.Equal(7, row.OutboxDepth);
        Assert.Equal(60_000, row.ClockOffsetMs);
        Assert.Equal(_app.Time.GetUtcNow(), row.LastSeenAt);
    }

    [Fact]
    public async Task CheckNow_ConnectedAgent_ReceivesTheSequenceOverTheHub()
    {
        var (agent, _) = await _app.EnrollAsync("hub-check-now");
        await using var hub = Connect(agent.Credential);
        var received = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.On<long>(AgentApi.CheckNowMethod, sequence => received.TrySetResult(sequence));
        await hub.StartAsync();
        // StartAsync returns after the handshake, possibly before the server's OnConnectedAsync registered the
        // connection; a hub call is answered only after it, so the push below has a connection to reach.
        await hub.InvokeAsync<long>("PendingCheckNow");

        var sent = await _app.Services.GetRequiredService<AgentCommandService>().CheckNowAsync(agent.AgentId);

        Assert.Equal(sent, await received.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(sent, await hub.InvokeAsync<long>("PendingCheckNow"));
    }

    [Fact]
    public async Task Start_WithoutValidCredential_IsRefused()
    {
        var (agent, _) = await _app.EnrollAsync("hub-forged");
        await using var hub = Connect($"abc_{agent.AgentId}_forged");

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => hub.StartAsync());

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, error.StatusCode);
    }

    [Fact]
    public async Task HubCall_AgentRevokedAfterConnecting_IsRefusedAndTheConnectionCloses()
    {
        var (agent, _) = await _app.EnrollAsync("hub-revoked-late");
        await using var hub = Connect(agent.Credential);
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.Closed += _ => { closed.TrySetResult(); return Task.CompletedTask; };
        await hub.StartAsync();
        await hub.InvokeAsync<long>("PendingCheckNow");
        // Revoked in the database only, as when the connection registered just after the revocation's abort.
        await using (var db = _app.CreateDbContext())
            await db.Agents.Where(a => a.Id == agent.AgentId).ExecuteUpdateAsync(s => s.SetProperty(a => a.RevokedAt, _app.Time.GetUtcNow()));

        // Refused (the error, or the close, reaches the agent first) and never recorded.
        await Assert.ThrowsAnyAsync<Exception>(() => hub.InvokeAsync<long>("SendHeartbeat", new { agentTimeUnixMs = 0L, outboxDepth = 0 }));

        await closed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await using var check = _app.CreateDbContext();
        Assert.Null((await check.Agents.SingleAsync(a => a.Id == agent.AgentId)).ClockOffsetMs);
    }

    private HubConnection Connect(string credential) => new HubConnectionBuilder()
        .WithUrl(new Uri(_app.Server.BaseAddress, AgentApi.HubPath), HttpTransportType.LongPolling, o =>
        {
            o.HttpMessageHandlerFactory = _ => _app.Server.CreateHandler();
            o.AccessTokenProvider = () => Task.FromResult<string?>(credential);
        })
        .Build();
}
