using ArcBridgeDashboard.Probes.Contracts;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ArcBridgeDashboard.Agent.Run;

/// <summary>
/// Sends the outbox to the server oldest first, in batches, and deletes exactly the ids the server acknowledged
/// (committed) or rejected for good. When the server stays unreachable past the HTTP retries it waits longer and
/// longer (up to a minute) and tries again; nothing is lost meanwhile because the results stay on disk.
/// </summary>
public sealed partial class OutboxPusher(
    Outbox outbox,
    OutboxSignal signal,
    DashboardClient client,
    AgentCredential credential,
    RunOptions options,
    RejectionState rejection,
    Microsoft.Extensions.Hosting.IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<OutboxPusher> logger) : BackgroundService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            var batch = await outbox.PeekAsync(options.BatchSize, stoppingToken);
            if (batch.Count == 0)
            {
                await signal.WaitAsync(IdlePoll, stoppingToken);
                continue;
            }
            try
            {
                var depth = (await outbox.StatsAsync(stoppingToken)).Depth;
                var ack = await client.PostBatchAsync(new ResultBatch { AgentId = credential.AgentId, OutboxDepth = (int)Math.Min(int.MaxValue, depth), Results = batch }, stoppingToken);
                await outbox.RemoveAsync(ack.Acked, [.. ack.Rejected.Select(r => r.Id)], stoppingToken);
                foreach (var rejected in ack.Rejected)
                    LogRejected(rejected.Id, rejected.Error);
                LogPushed(ack.Acked.Count, ack.Rejected.Count, depth - ack.Acked.Count - ack.Rejected.Count);
                backoff = TimeSpan.FromSeconds(1);
            }
            catch (AgentRejectedException ex)
            {
                rejection.Reason = ex.Message;
                LogRefused(ex.Message);
                lifetime.StopApplication();
                return;
            }
            catch (HttpRequestException ex) when (ex.StatusCode is System.Net.HttpStatusCode.BadRequest or System.Net.HttpStatusCode.RequestEntityTooLarge)
            {
                // The dashboard refused the batch as invalid (nothing stored): sending it again would be refused again
                // and hold every later result behind it. It is dropped, with the reason in the log.
                await outbox.RemoveAsync([], [.. batch.Select(r => r.Id)], stoppingToken);
                LogDropped(batch.Count, ex.Message);
            }
            // IOException and JsonException: a dashboard killed mid-answer cuts the body short ("response ended prematurely").
            catch (Exception ex) when (ex is HttpRequestException or IOException or System.Text.Json.JsonException or TaskCanceledException or TimeoutException or Polly.Timeout.TimeoutRejectedException or Polly.CircuitBreaker.BrokenCircuitException && !stoppingToken.IsCancellationRequested)
            {
                LogPushFailed(batch.Count, backoff.TotalSeconds, ex.Message);
                await Task.Delay(backoff, time, stoppingToken);
                backoff = TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, backoff.Ticks * 2));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pushed batch: {Acked} acknowledged, {Rejected} rejected, {Remaining} left in the outbox")]
    private partial void LogPushed(int acked, int rejected, long remaining);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Push of {Count} results failed; retrying in {DelaySeconds} s: {Error}")]
    private partial void LogPushFailed(int count, double delaySeconds, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Server rejected result {ResultId} for good: {Error}")]
    private partial void LogRejected(Guid resultId, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "The dashboard refused a batch of {Count} results as invalid; they are dropped, not sent again: {Error}")]
    private partial void LogDropped(int count, string error);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Stopping: {Reason}")]
    private partial void LogRefused(string reason);
}
