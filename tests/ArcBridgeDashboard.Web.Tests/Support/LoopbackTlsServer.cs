using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace ArcBridgeDashboard.Web.Tests.Support;

/// <summary>A TLS listener on 127.0.0.1 that answers every HTTP/1.1 request with 404, with a test-made chain.</summary>
public sealed class LoopbackTlsServer : IDisposable
{
    private readonly TcpListener listener;
    private readonly CancellationTokenSource stop = new();
    private readonly X509Certificate2 leaf;

    public LoopbackTlsServer(X509Certificate2 leaf, int port = 0)
    {
        this.leaf = leaf;
        listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        _ = Task.Run(AcceptLoopAsync);
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    /// <summary>A free loopback port with nothing listening on it (connects are refused).</summary>
    public static int ClosedPort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    public static (X509Certificate2 Root, X509Certificate2 Leaf) CreatePki()
    {
        using var rootKey = RSA.Create(2048);
        var rootRequest = new CertificateRequest("CN=ArcBridge Test Root", rootKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        rootRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(rootRequest.PublicKey, false));
        var root = rootRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-10), DateTimeOffset.UtcNow.AddYears(1));

        using var leafKey = RSA.Create(2048);
        var leafRequest = new CertificateRequest("CN=127.0.0.1", leafKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        leafRequest.CertificateExtensions.Add(san.Build());
        leafRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        leafRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(root, true, false));
        using var signed = leafRequest.Create(root, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30), RandomNumberGenerator.GetBytes(12));
        // Round-trip through PKCS#12 so SslStream on Linux can use the private key.
        var pfx = signed.CopyWithPrivateKey(leafKey).Export(X509ContentType.Pkcs12);
        return (root, X509CertificateLoader.LoadPkcs12(pfx, null));
    }

    private async Task AcceptLoopAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (Exception)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            await using var ssl = new SslStream(client.GetStream());
            await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = leaf,
                ApplicationProtocols = [SslApplicationProtocol.Http11],
            }, timeout.Token);
            var buffer = new byte[8192];
            var request = "";
            while (!request.Contains("\r\n\r\n", StringComparison.Ordinal) && request.Length < 16384)
            {
                var read = await ssl.ReadAsync(buffer, timeout.Token);
                if (read == 0)
                    return;
                request += Encoding.ASCII.GetString(buffer, 0, read);
            }
            await ssl.WriteAsync("HTTP/1.1 404 Not Found\r\nServer: loopback-test\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray(), timeout.Token);
            await ssl.FlushAsync(timeout.Token);
        }
        catch (Exception)
        {
            // a probe may hang up mid-handshake; nothing to do
        }
    }

    public void Dispose()
    {
        stop.Cancel();
        listener.Stop();
    }
}
