using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ArcBridgeDashboard.Web.Tests.Notifications;

/// <summary>A real Kestrel on 127.0.0.1 that records every POST and answers with the queued status codes (then 200).</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    public sealed record Received(string Path, string Body, IReadOnlyDictionary<string, string> Headers)
    {
        public JsonNode Json => JsonNode.Parse(Body)!;
    }

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<int> _answers = new();
    private readonly List<Received> _received = [];
    private readonly SemaphoreSlim _arrived = new(0);

    private WebhookReceiver(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/{**path}", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            lock (receiver._received)
                receiver._received.Add(new Received(context.Request.Path, body, context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
            receiver._arrived.Release();
            var status = receiver._answers.TryDequeue(out var s) ? s : 200;
            if (status == Hang)
            {
                // Never answers: holds the request until the sender gives up on it.
                try
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                }
                return;
            }
            context.Response.StatusCode = status;
            await context.Response.WriteAsync(status == 200 ? "1" : "receiver is down");
        });
        await app.StartAsync();
        receiver.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().Replace("[::1]", "127.0.0.1");
        return receiver;
    }

    /// <summary>A status for <see cref="AnswerNext"/>: no answer at all.</summary>
    public const int Hang = -1;

    /// <summary>The next requests get these status codes (or <see cref="Hang"/>), in order.</summary>
    public void AnswerNext(params int[] statuses)
    {
        foreach (var s in statuses)
            _answers.Enqueue(s);
    }

    public IReadOnlyList<Received> All
    {
        get
        {
            lock (_received)
                return [.. _received];
        }
    }

    /// <summary>Waits (bounded) until <paramref name="count"/> requests in all have arrived.</summary>
    public async Task<IReadOnlyList<Received>> WaitForAsync(int count, int timeoutSeconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (All.Count < count)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !await _arrived.WaitAsync(left))
                throw new TimeoutException($"Gave up after {timeoutSeconds} s waiting for {count} webhook request(s); got {All.Count}.");
        }
        return All;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
