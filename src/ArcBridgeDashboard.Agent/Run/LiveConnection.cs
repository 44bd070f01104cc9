using ArcBridgeDashboard.Probes.Contracts;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ArcBridgeDashboard.Agent.Run;

/// <summary>
/// The SignalR connection to the dashboard: heartbeats out, "CheckNow" in. It reconnects forever with growing
/// delays; while it is down <see cref="PlanPoller"/> polls for commands instead. Any failure of the connection
/// (a reset WebSocket, a cancelled invocation, a refused start) is logged and retried, never thrown: an unhandled
/// exception in a BackgroundService stops the whole agent, and a dashboard killed mid-heartbeat did just that.
/// </summary>
public sealed partial class LiveConnection(
    AgentCredential credential,
    ServerTrust trust,
    RunOptions options,
    CheckNowSignal checkNow,
    LiveState live,
    Outbox outbox,
    TimeProvider time,
    ILogger<LiveConnection> logger) : BackgroundService
{
    private static readonly TimeSpan[] RetryDelays = [TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30)];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(options.Server, AgentApi.HubPath), o =>
            {
                o.AccessTokenProvider = () => Task.FromResult<string?>(credential.Credential);
                if (trust.IsCustom)
                {
                    o.HttpMessageHandlerFactory = _ => trust.CreateHandler();
                    o.WebSocketConfiguration = ws => ws.RemoteCertificateValidationCallback = trust.Validate;
                }
            })
            // Hub arguments through the compiled JSON contracts: the NativeAOT build has no reflection serializer.
            .AddJsonProtocol(o => o.PayloadSerializerOptions.TypeInfoResolverChain.Insert(0, AgentJson.Default))
            .WithAutomaticReconnect(new ForeverRetryPolicy())
            .Build();
        connection.On<long>(AgentApi.CheckNowMethod, sequence =>
        {
            if (checkNow.Request(sequence))
                LogCheckNowPushed(sequence);
        });
        connection.Reconnecting += _ => { live.Connected = false; LogDisconnected(); return Task.CompletedTask; };
        connection.Reconnected += async _ => { live.Connected = true; LogConnected(); await CatchUpAsync(connection, baseline: false, stoppingToken); };
        connection.Closed += _ => { live.Connected = false; return Task.CompletedTask; };

        await StartAsync(connection, stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            if (connection.State == HubConnectionState.Disconnected)
                await StartAsync(connection, stoppingToken);
            else if (connection.State == HubConnectionState.Connected)
                await HeartbeatAsync(connection, stoppingToken);
            await Task.Delay(options.HeartbeatInterval, time, stoppingToken);
        }
    }

    private async Task StartAsync(HubConnection connection, CancellationToken stoppingToken)
    {
        for (var attempt = 0; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                await connection.StartAsync(stoppingToken);
                live.Connected = true;
                LogConnected();
                await CatchUpAsync(connection, baseline: true, stoppingToken);
                await HeartbeatAsync(connection, stoppingToken);
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogStartFailed(ex.Message);
                await Task.Delay(RetryDelays[Math.Min(attempt + 1, RetryDelays.Length - 1)], time, stoppingToken);
            }
        }
    }

    private async Task CatchUpAsync(HubConnection connection, bool baseline, CancellationToken stoppingToken)
    {
        try
        {
            var pending = await connection.InvokeAsync<long>("PendingCheckNow", stoppingToken);
            if (baseline)
                checkNow.Baseline(pending);
            else if (checkNow.Request(pending))
                LogCheckNowPushed(pending);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            LogStartFailed(ex.Message);
        }
    }

    private async Task HeartbeatAsync(HubConnection connection, CancellationToken stoppingToken)
    {
        try
        {
            var depth = (await outbox.StatsAsync(stoppingToken)).Depth;
            await connection.InvokeAsync<long>("SendHeartbeat", new Heartbeat(time.GetUtcNow().ToUnixTimeMilliseconds(), (int)Math.Min(int.MaxValue, depth)), stoppingToken);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            LogStartFailed(ex.Message);
        }
    }

    private sealed class ForeverRetryPolicy : IRetryPolicy
    {
        public TimeSpan? NextRetryDelay(RetryContext retryContext) =>
            RetryDelays[Math.Min(retryContext.PreviousRetryCount, RetryDelays.Length - 1)];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Live connection to the dashboard is up")]
    private partial void LogConnected();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live connection lost; reconnecting, polling meanwhile")]
    private partial void LogDisconnected();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live connection: {Error}")]
    private partial void LogStartFailed(string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Check now {Sequence} pushed by the dashboard")]
    private partial void LogCheckNowPushed(long sequence);
}

/// <summary>The hub's SendHeartbeat argument (the dashboard's AgentHub.Heartbeat, camelCase on the wire).</summary>
public sealed record Heartbeat(long AgentTimeUnixMs, int OutboxDepth);
