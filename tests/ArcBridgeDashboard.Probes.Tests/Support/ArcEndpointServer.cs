using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ArcBridgeDashboard.Probes.Tests.Support;

/// <summary>What the endpoint does with a POST: answer like Azure (401), never answer, or drop the connection.</summary>
public enum PostBehaviour { Answer, NeverAnswer, AbortConnection }

/// <summary>
/// Real Kestrel on 127.0.0.1:0, TLS with HTTP/1.1 + HTTP/2 and WebSockets: stands for any Azure API, an Arc data plane or
/// the service bus. Every HTTP request gets 401 like an Azure API without a token; a WebSocket upgrade is accepted (101)
/// and closed. (A hand-made TLS peer that misbehaves on purpose is <see cref="ArcBridgeDashboard.Testing.LoopbackTlsServer"/>.)
/// </summary>
public sealed class ArcEndpointServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _posts;

    private ArcEndpointServer(WebApplication app) => _app = app;

    public int Port => new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;

    /// <summary>How many POSTs reached the endpoint (a middlebox that refuses them keeps this at 0).</summary>
    public int Posts => Volatile.Read(ref _posts);

    public static async Task<ArcEndpointServer> StartAsync(X509Certificate2 leaf, X509Certificate2[] intermediates, PostBehaviour post = PostBehaviour.Answer)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.Protocols = HttpProtocols.Http1AndHttp2;
            listen.UseHttps(https =>
            {
                https.ServerCertificate = leaf;
                https.ServerCertificateChain = new X509Certificate2Collection(intermediates);
            });
        }));
        var app = builder.Build();
        var server = new ArcEndpointServer(app);
        app.UseWebSockets();
        app.Run(async context =>
        {
            if (context.WebSockets.IsWebSocketRequest)
            {
                var subProtocol = context.WebSockets.WebSocketRequestedProtocols.FirstOrDefault();
                using var socket = await context.WebSockets.AcceptWebSocketAsync(subProtocol);
                return; // the probe only needs the handshake; disposing aborts the socket
            }
            if (HttpMethods.IsPost(context.Request.Method))
            {
                Interlocked.Increment(ref server._posts);
                if (post == PostBehaviour.NeverAnswer)
                {
                    // Held until the server stops: a stream that gets no answer while the connection stays up.
                    var stopping = context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
                    using var held = CancellationTokenSource.CreateLinkedTokenSource(stopping, context.RequestAborted);
                    await Task.Delay(Timeout.Infinite, held.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                    return;
                }
                if (post == PostBehaviour.AbortConnection)
                {
                    // Kestrel's Abort on HTTP/2 resets only the stream; the connection feature closes the socket itself.
                    context.Features.Get<Microsoft.AspNetCore.Connections.Features.IConnectionLifetimeFeature>()!.Abort();
                    return;
                }
            }
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Bearer";
        });
        await app.StartAsync();
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
