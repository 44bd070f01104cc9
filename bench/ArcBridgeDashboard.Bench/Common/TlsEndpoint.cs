using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace ArcBridgeDashboard.Bench.Common;

/// <summary>A real Kestrel HTTPS endpoint (HTTP/1.1 and HTTP/2 via ALPN) answering 200 "ok" on every path.</summary>
public sealed class TlsEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TlsEndpoint(WebApplication app, IReadOnlyList<int> ports)
    {
        _app = app;
        Ports = ports;
    }

    public IReadOnlyList<int> Ports { get; }

    /// <param name="bindings">Address and port pairs; port 0 picks a free port.</param>
    public static async Task<TlsEndpoint> StartAsync(X509Certificate2 certificate, IEnumerable<IPEndPoint> bindings)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            foreach (var binding in bindings)
            {
                kestrel.Listen(binding, listen =>
                {
                    listen.Protocols = HttpProtocols.Http1AndHttp2;
                    listen.UseHttps(certificate);
                });
            }
        });
        var app = builder.Build();
        app.Run(context =>
        {
            context.Response.Headers.Server = "arcbridge-bench";
            return context.Response.WriteAsync("ok");
        });
        await app.StartAsync();
        var ports = app.Urls.Select(u => new Uri(u).Port).ToList();
        return new TlsEndpoint(app, ports);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
