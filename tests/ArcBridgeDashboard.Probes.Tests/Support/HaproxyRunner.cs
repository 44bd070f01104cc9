using System.Security.Cryptography.X509Certificates;

namespace ArcBridgeDashboard.Probes.Tests.Support;

/// <summary>
/// Debian's haproxy in the foreground on 127.0.0.1 as an HTTP/2-speaking middlebox: terminates TLS (ALPN h2,http/1.1)
/// with the given certificate and forwards to the endpoint over TLS. <paramref name="rules"/> go into the frontend.
/// </summary>
public sealed class HaproxyRunner : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly DaemonProcess _haproxy;

    public HaproxyRunner(X509Certificate2 leaf, X509Certificate2[] chain, int upstreamPort, string rules)
    {
        Port = Ports.FreeTcp();
        var (cert, key) = CertFactory.WritePem(leaf, _dir.Path, "middlebox", chain);
        // haproxy wants certificate, chain and key in one PEM file.
        var pem = _dir.File("middlebox.pem");
        File.WriteAllText(pem, File.ReadAllText(cert) + File.ReadAllText(key));
        File.WriteAllText(_dir.File("haproxy.cfg"), $"""
            global
                log stderr format raw local0 warning
            defaults
                mode http
                log global
                timeout connect 5s
                timeout client 30s
                timeout server 30s
                timeout tarpit 60s
            frontend middlebox
                bind 127.0.0.1:{Port} ssl crt {pem} alpn h2,http/1.1
            {rules}
                default_backend endpoint
            backend endpoint
                server endpoint 127.0.0.1:{upstreamPort} ssl verify none alpn h2

            """); // haproxy refuses a last line without its newline
        _haproxy = DaemonProcess.Start("/usr/sbin/haproxy", ["-db", "-f", _dir.File("haproxy.cfg")]);
        try
        {
            _haproxy.WaitForTcpPort(Port);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public int Port { get; }

    public void Dispose()
    {
        _haproxy.Dispose();
        _dir.Dispose();
    }
}
