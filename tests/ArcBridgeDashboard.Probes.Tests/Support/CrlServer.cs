using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ArcBridgeDashboard.Probes.Tests.Support;

/// <summary>Real Kestrel serving, over plain HTTP on <c>address:0</c>, a CRL signed by the issuer, as a CA's CRL server does.</summary>
public sealed class CrlServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private CrlServer(WebApplication app, IPAddress address)
    {
        _app = app;
        Address = address;
    }

    public IPAddress Address { get; }
    public int Port => new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
    public string Url(string path) => $"http://{Address}:{Port}{path}";
    /// <summary>Paths asked for, in order: proves the fetch reached this server.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public static async Task<CrlServer> StartAsync(IPAddress address, X509Certificate2 issuer)
    {
        var crl = new CertificateRevocationListBuilder().Build(issuer, BigInteger(1), DateTimeOffset.UtcNow.AddDays(7), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(address, 0));
        var app = builder.Build();
        CrlServer? server = null;
        app.Run(async context =>
        {
            server!.Requests.Enqueue(context.Request.Path + context.Request.QueryString);
            context.Response.ContentType = "application/pkix-crl";
            await context.Response.Body.WriteAsync(crl);
        });
        server = new CrlServer(app, address);
        await app.StartAsync();
        return server;
    }

    private static System.Numerics.BigInteger BigInteger(int value) => new(value);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
