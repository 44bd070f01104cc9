using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;

namespace ArcBridgeDashboard.Bench.ProbeCost;

/// <summary>
/// `probe-baseline --port P --count N`: the floor under our probe in .NET itself: TCP connect, TLS handshake (ALPN h2,
/// no chain building) and one HTTP/2 GET through a fresh SocketsHttpHandler, sequentially; prints CPU-ms per step mix.
/// Tells how much of the probe's CPU is the runtime's TLS/HTTP stack rather than the engine's own work.
/// </summary>
public static class BaselineWorker
{
    public static async Task<int> RunAsync(Common.Args args)
    {
        var port = args.GetInt("port", 0);
        var count = Math.Clamp(args.GetInt("count", 500), 1, 10_000);
        var passes = new Dictionary<bool, List<double>> { [false] = [], [true] = [] };
        foreach (var withHttp in new[] { false, true, false, true, false, true, false, true })
        {
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            for (var i = 0; i < count; i++)
            {
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(IPAddress.Loopback, port);
                var tls = new SslStream(new NetworkStream(socket, ownsSocket: false));
                await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    TargetHost = "localhost",
                    ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
                    RemoteCertificateValidationCallback = (_, _, _, _) => true,
                    AllowTlsResume = false, // a full handshake every time, like the probe and blackbox_exporter
                });
                if (withHttp)
                {
                    using var handler = new SocketsHttpHandler { ConnectCallback = (_, _) => ValueTask.FromResult<Stream>(tls) };
                    using var client = new HttpClient(handler);
                    using var request = new HttpRequestMessage(HttpMethod.Get, $"https://localhost:{port}/") { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
                    using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                }
                await tls.DisposeAsync();
            }
            var ms = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / count;
            passes[withHttp].Add(ms);
        }
        // The first pass of each kind carries the JIT; the median of the other three is printed.
        foreach (var (withHttp, values) in passes)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{(withHttp ? "connect+TLS+h2 GET" : "connect+TLS")}: {Common.Stats.Median(values.Skip(1).ToList()):0.000} CPU-ms/op"));
        return 0;
    }
}
