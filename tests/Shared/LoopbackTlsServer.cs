using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace ArcBridgeDashboard.Testing;

/// <summary>
/// The one TLS test server of every test project (compiled into each as a linked file): a listener on 127.0.0.1
/// (port 0, or a chosen one) serving a test-made chain. By default it answers every HTTP/1.1 request with 404
/// (any HTTP answer means reachable, like a Microsoft endpoint hit without a path). The other behaviours are what
/// middleboxes do to a probe: see <see cref="BreakHttp2"/>, <see cref="BreakHttp2AndHttp11"/>,
/// <see cref="CloseAfterHandshake"/> and <see cref="SilentAfterHandshake"/>; <see cref="HoldAnswers"/> keeps answers
/// back until <see cref="ReleaseAnswers"/>, so a sweep stays running while a test watches it.
/// </summary>
public sealed class LoopbackTlsServer : IDisposable, IAsyncDisposable
{
    /// <summary>The Server header of every HTTP answer.</summary>
    public const string ServerHeader = "loopback-test";

    private static readonly byte[] NotFound = Encoding.ASCII.GetBytes(
        $"HTTP/1.1 404 Not Found\r\nServer: {ServerHeader}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");

    // Empty SETTINGS, then GOAWAY(last stream 0, PROTOCOL_ERROR).
    private static readonly byte[] Http2GoAway = [0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 8, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];

    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly SslStreamCertificateContext _context;
    private readonly Behaviour _behaviour;
    private readonly Task _acceptLoop;
    private volatile TaskCompletionSource _gate = Opened();

    private enum Behaviour { Http11, BreakHttp2, BreakHttp2AndHttp11, CloseAfterHandshake, SilentAfterHandshake }

    /// <summary>Answers HTTP/1.1 with 404 on <paramref name="port"/> (0: any free port), sending <paramref name="leaf"/> alone.</summary>
    public LoopbackTlsServer(X509Certificate2 leaf, int port = 0)
        : this(leaf, [], Behaviour.Http11, port)
    {
    }

    private LoopbackTlsServer(X509Certificate2 leaf, X509Certificate2[] intermediates, Behaviour behaviour, int port = 0)
    {
        _context = SslStreamCertificateContext.Create(leaf, new X509Certificate2Collection(intermediates), offline: true);
        _behaviour = behaviour;
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Start();
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The SNI the last client sent (empty when it sent none, as for IP literals).</summary>
    public string? LastServerName { get; private set; }

    /// <summary>Answers HTTP/1.1 with 404, sending <paramref name="leaf"/> and <paramref name="intermediates"/> as the chain.</summary>
    public static LoopbackTlsServer Answering(X509Certificate2 leaf, params X509Certificate2[] intermediates) => new(leaf, intermediates, Behaviour.Http11);

    /// <summary>
    /// Accepts h2 via ALPN and then sends GOAWAY with PROTOCOL_ERROR, as TLS-inspecting proxies do; HTTP/1.1 (when the
    /// client offers only that) still gets its 404.
    /// </summary>
    public static LoopbackTlsServer BreakHttp2(X509Certificate2 leaf, params X509Certificate2[] intermediates) => new(leaf, intermediates, Behaviour.BreakHttp2);

    /// <summary>GOAWAY for h2 and a silent hang-up for HTTP/1.1: nothing gets through.</summary>
    public static LoopbackTlsServer BreakHttp2AndHttp11(X509Certificate2 leaf, params X509Certificate2[] intermediates) => new(leaf, intermediates, Behaviour.BreakHttp2AndHttp11);

    /// <summary>Completes the handshake, reads the request and hangs up without a word.</summary>
    public static LoopbackTlsServer CloseAfterHandshake(X509Certificate2 leaf, params X509Certificate2[] intermediates) => new(leaf, intermediates, Behaviour.CloseAfterHandshake);

    /// <summary>Completes the handshake and then never answers the request.</summary>
    public static LoopbackTlsServer SilentAfterHandshake(X509Certificate2 leaf, params X509Certificate2[] intermediates) => new(leaf, intermediates, Behaviour.SilentAfterHandshake);

    /// <summary>A free loopback port with nothing listening on it (connects are refused).</summary>
    public static int ClosedPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>
    /// A test-made root and a server certificate it signed for <paramref name="address"/> (127.0.0.1 unless given) and
    /// "localhost", with its private key usable by SslStream and Kestrel on Linux.
    /// </summary>
    public static (X509Certificate2 Root, X509Certificate2 Leaf) CreatePki(IPAddress? address = null, string rootName = "ArcBridge Test Root")
    {
        address ??= IPAddress.Loopback;
        var now = DateTimeOffset.UtcNow;
        using var rootKey = RSA.Create(2048);
        var rootRequest = new CertificateRequest($"CN={rootName}", rootKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        rootRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(rootRequest.PublicKey, false));
        var root = rootRequest.CreateSelfSigned(now.AddDays(-10), now.AddYears(1));

        using var leafKey = RSA.Create(2048);
        var leafRequest = new CertificateRequest($"CN={address}", leafKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(address);
        san.AddDnsName("localhost");
        leafRequest.CertificateExtensions.Add(san.Build());
        leafRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        leafRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        leafRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(root, true, false));
        using var signed = leafRequest.Create(root, now.AddDays(-1), now.AddDays(30), RandomNumberGenerator.GetBytes(12));
        using var withKey = signed.CopyWithPrivateKey(leafKey);
        // Round-trip through PKCS#12 so SslStream on Linux can use the private key.
        return (root, X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null));
    }

    /// <summary>
    /// HTTP requests that arrive from now on wait for <see cref="ReleaseAnswers"/> before they are answered (at most for
    /// the connection's 30 s, then the connection closes unanswered).
    /// </summary>
    public void HoldAnswers() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void ReleaseAnswers() => _gate.TrySetResult();

    private static TaskCompletionSource Opened()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception)
            {
                return; // stopped
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            await using var ssl = new SslStream(client.GetStream());
            var breaksHttp2 = _behaviour is Behaviour.BreakHttp2 or Behaviour.BreakHttp2AndHttp11;
            var options = new SslServerAuthenticationOptions
            {
                ServerCertificateContext = _context,
                ApplicationProtocols = breaksHttp2 ? [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11] : [SslApplicationProtocol.Http11],
            };
            await ssl.AuthenticateAsServerAsync((_, hello, _, _) =>
            {
                LastServerName = hello.ServerName;
                return ValueTask.FromResult(options);
            }, null, timeout.Token);

            var buffer = new byte[8192];
            var read = await ssl.ReadAsync(buffer, timeout.Token);
            var http2 = ssl.NegotiatedApplicationProtocol == SslApplicationProtocol.Http2;
            if (read == 0 || _behaviour == Behaviour.CloseAfterHandshake || (_behaviour == Behaviour.BreakHttp2AndHttp11 && !http2))
                return;
            if (_behaviour == Behaviour.SilentAfterHandshake)
            {
                await Task.Delay(Timeout.Infinite, timeout.Token);
                return;
            }
            if (breaksHttp2 && http2)
            {
                await ssl.WriteAsync(Http2GoAway, timeout.Token);
                await ssl.FlushAsync(timeout.Token);
                await Task.Delay(200, timeout.Token); // let the client read the GOAWAY before the close
                return;
            }

            var request = Encoding.ASCII.GetString(buffer, 0, read);
            while (!request.Contains("\r\n\r\n", StringComparison.Ordinal) && request.Length < 16384)
            {
                read = await ssl.ReadAsync(buffer, timeout.Token);
                if (read == 0)
                    return;
                request += Encoding.ASCII.GetString(buffer, 0, read);
            }
            await _gate.Task.WaitAsync(timeout.Token);
            await ssl.WriteAsync(NotFound, timeout.Token);
            await ssl.FlushAsync(timeout.Token);
        }
        catch (Exception)
        {
            // the probe may hang up mid-handshake (bad chain, or after reading it), or a held answer timed out
        }
    }

    public void Dispose()
    {
        _gate.TrySetResult();
        _stop.Cancel();
        _listener.Stop();
    }

    public async ValueTask DisposeAsync()
    {
        Dispose();
        await _acceptLoop.WaitAsync(TimeSpan.FromSeconds(5));
    }
}
