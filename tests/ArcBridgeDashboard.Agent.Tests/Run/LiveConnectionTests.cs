using ArcBridgeDashboard.Agent.Run;
using ArcBridgeDashboard.Probes.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ArcBridgeDashboard.Agent.Tests.Run;

/// <summary>The live connection against a real SignalR hub on Kestrel whose connection dies in the middle of a call.</summary>
public sealed class LiveConnectionTests : IAsyncLifetime
{
    private WebApplication _server = null!;
    private readonly HubEvents _events = new();

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSignalR();
        builder.Services.AddSingleton(_events);
        _server = builder.Build();
        _server.MapHub<DyingHub>(AgentApi.HubPath);
        await _server.StartAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Heartbeat_DashboardDropsTheConnectionMidCall_AgentKeepsRunningAndReconnects()
    {
        var state = Path.Combine(Path.GetTempPath(), "arcbridge-live-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(state);
        try
        {
            var options = new RunOptions { Server = new Uri(_server.Urls.First()), Name = "a", Role = Sources.ApplianceVm, StateDirectory = state, HeartbeatInterval = TimeSpan.FromMilliseconds(200) };
            await using var outbox = await Outbox.OpenAsync(Path.Combine(state, "outbox.db"), 100, NullLogger<Outbox>.Instance);
            var credential = new AgentCredential { Server = options.Server.ToString(), AgentId = 7, Name = "a", Credential = "secret" };
            var live = new LiveState();
            using var connection = new LiveConnection(credential, new ServerTrust(null), options, new CheckNowSignal(), live, outbox, TimeProvider.System, NullLogger<LiveConnection>.Instance);

            await connection.StartAsync(CancellationToken.None);
            // The hub aborts the first connection inside the first heartbeat; the agent must reconnect, not stop.
            await Task.WhenAny(_events.HeartbeatAfterReconnect.Task, connection.ExecuteTask!).WaitAsync(TimeSpan.FromSeconds(60));
            Assert.False(connection.ExecuteTask!.IsCompleted, $"the live connection stopped, which stops the agent: {connection.ExecuteTask.Exception?.GetBaseException().Message}");
            Assert.True(_events.Connections >= 2, "the agent did not reconnect");
            await connection.StopAsync(CancellationToken.None);
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    public sealed class HubEvents
    {
        public int Connections;
        public int Aborted;
        public TaskCompletionSource HeartbeatAfterReconnect { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public sealed class DyingHub(HubEvents events) : Hub
    {
        public override Task OnConnectedAsync()
        {
            Interlocked.Increment(ref events.Connections);
            return Task.CompletedTask;
        }

        public long PendingCheckNow() => 0;

        public long SendHeartbeat(System.Text.Json.JsonElement heartbeat)
        {
            // The first heartbeat is answered by a dead connection, as when the dashboard process is killed mid-call.
            if (Interlocked.Exchange(ref events.Aborted, 1) == 0)
                Context.GetHttpContext()!.Abort();
            else
                events.HeartbeatAfterReconnect.TrySetResult();
            return 0;
        }
    }
}
