using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace ArcBridgeDashboard.Probes.Tests.Support;

/// <summary>
/// A TLS listener on 127.0.0.1:0 serving a test-made certificate chain. By default it answers HTTP/1.1 with a 404
/// (any HTTP answer means reachable); with <see cref="BreakHttp2"/> it accepts h2 via ALPN and then sends GOAWAY
/// with PROTOCOL_ERROR, as TLS-inspecting proxies do, while HTTP/1.1 (when the client offers only that) still works.
/// </summary>
public sealed class TlsTestServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly SslStreamCertificateContext _context;
    private readonly Behaviour _behaviour;

    private enum Behaviour { Http11, BreakHttp2, BreakHttp2AndHttp11, CloseAfterHandshake, SilentAfterHandshake }

    private TlsTestServer(X509Certificate2 leaf, X509Certificate2[] intermediates, Behaviour behaviour)
    {
        _context = SslStreamCertificateContext.Create(leaf, new X509Certificate2Collection(intermediates), offline: true);
        _behaviour = behaviour;
        _listener.Start();
        _ = Task.Run(AcceptLoopAsync);
    }

    /// <summary>The SNI the last client sent (empty when it sent none, as for IP literals).</summary>
    public string? LastServerName { get; private set; }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public static TlsTestServer Http11(X509Certificate2 leaf, params X509Certificate2[] intermediates) => new(leaf, intermediates, Behaviour.Http11);

    public static TlsTestServer BreakHttp2(X509Certificate2 leaf, params X509Certificate2[] intermediates) => new(leaf, intermediates, Behaviour.BreakHttp2);

    /// <summary>GOAWAY for h2 and a silent hang-up for HTTP/1.1: nothing gets through.</summary>
    public static TlsTestServer BreakHttp2AndHttp11(X509Certificate2 leaf, params X509Certificate2[] intermediates) => new(leaf, intermediates, Behaviour.BreakHttp2AndHttp11);

    /// <summary>Completes the handshake, reads the request and hangs up without a word.</summary>
    public static TlsTestServer CloseAfterHandshake(X509Certificate2 leaf, params X509Certificate2[] intermediates) => new(leaf, intermediates, Behaviour.CloseAfterHandshake);

    /// <summary>Completes the handshake and then never answers the request.</summary>
    public static TlsTestServer SilentAfterHandshake(X509Certificate2 leaf, params X509Certificate2[] intermediates) => new(leaf, intermediates, Behaviour.SilentAfterHandshake);

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) { return; }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(15));
        try
        {
            await using var ssl = new SslStream(client.GetStream());
            var options = new SslServerAuthenticationOptions
            {
                ServerCertificateContext = _context,
                ApplicationProtocols = _behaviour is Behaviour.BreakHttp2 or Behaviour.BreakHttp2AndHttp11 ? [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11] : [SslApplicationProtocol.Http11],
            };
            await ssl.AuthenticateAsServerAsync((_, hello, _, _) =>
            {
                LastServerName = hello.ServerName;
                return ValueTask.FromResult(options);
            }, null, timeout.Token);
            var buffer = new byte[8192];
            var read = await ssl.ReadAsync(buffer, timeout.Token);
            if (_behaviour == Behaviour.CloseAfterHandshake
                || (_behaviour == Behaviour.BreakHttp2AndHttp11 && ssl.NegotiatedApplicationProtocol != SslApplicationProtocol.Http2))
                return;
            if (_behaviour == Behaviour.SilentAfterHandshake)
            {
                await Task.Delay(Timeout.Infinite, timeout.Token);
                return;
            }
            if (_behaviour is Behaviour.BreakHttp2 or Behaviour.BreakHttp2AndHttp11 && ssl.NegotiatedApplicationProtocol == SslApplicationProtocol.Http2)
            {
                // Empty SETTINGS, then GOAWAY(last stream 0, PROTOCOL_ERROR).
                byte[] frames = [0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 8, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
                await ssl.WriteAsync(frames, timeout.Token);
                await ssl.FlushAsync(timeout.Token);
                await Task.Delay(200, timeout.Token);
                return;
            }
            var request = Encoding.ASCII.GetString(buffer, 0, read);
            while (!request.Contains("\r\n\r\n", StringComparison.Ordinal) && request.Length < 16384)
            {
                read = await ssl.ReadAsync(buffer, timeout.Token);
                if (read == 0) return;
                request += Encoding.ASCII.GetString(buffer, 0, read);
            }
            await ssl.WriteAsync("HTTP/1.1 404 Not Found\r\nServer: lab-tls\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray(), timeout.Token);
            await ssl.FlushAsync(timeout.Token);
        }
        catch (Exception)
        {
            // the probe may hang up mid-handshake on purpose (bad chain); nothing to do
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
    }
}
