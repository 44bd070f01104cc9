using System.Diagnostics;
using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace ArcBridgeDashboard.Probes.Tests.Support;

/// <summary>
/// Debian's squid standing in for an Arc gateway: an https_port (an HTTPS proxy, CONNECT inside TLS) with a certificate
/// from the test's "public" PKI. CONNECT to <see cref="BlockedAddress"/> is denied (403); <see cref="AuthPort"/> wants
/// Basic credentials (407), as a gateway that only opens tunnels for onboarded agents does.
/// </summary>
public sealed class GatewaySquidRunner : IDisposable
{
    public static readonly IPAddress BlockedAddress = IPAddress.Parse("127.0.0.3");

    private readonly TempDir _dir = new();
    private readonly DaemonProcess _squid;

    public GatewaySquidRunner(X509Certificate2 leaf, X509Certificate2 issuer)
    {
        Port = Ports.FreeTcp();
        AuthPort = Ports.FreeTcp();
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(_dir.Path, (UnixFileMode)0x1FF);
        var (cert, key) = CertFactory.WritePem(leaf, _dir.Path, "gateway", issuer);
        File.WriteAllText(_dir.File("passwd"), $"agent:{Hash("never-given")}\n");
        Run("chown", "-R", "proxy", _dir.Path);
        File.WriteAllText(_dir.File("squid.conf"), $"""
            https_port 127.0.0.1:{Port} name=gw tls-cert={cert} tls-key={key}
            https_port 127.0.0.1:{AuthPort} name=gwauth tls-cert={cert} tls-key={key}
            auth_param basic program /usr/lib/squid/basic_ncsa_auth {_dir.File("passwd")}
            auth_param basic realm arc-gateway
            acl gwauth myportname gwauth
            acl authed proxy_auth REQUIRED
            acl blocked dst {BlockedAddress}/32
            http_access deny blocked
            http_access deny gwauth !authed
            http_access allow localhost
            http_access deny all
            {SquidRunner.CommonDirectives(_dir, "probes-gateway")}
            """);
        _squid = DaemonProcess.Start("/usr/sbin/squid", ["-N", "-d1", "-f", _dir.File("squid.conf")]);
        try
        {
            _squid.WaitForTcpPort(Port);
            _squid.WaitForTcpPort(AuthPort);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public int Port { get; }
    public int AuthPort { get; }
    public Uri Gateway => new($"https://127.0.0.1:{Port}");
    public Uri AuthGateway => new($"https://127.0.0.1:{AuthPort}");
    public string AccessLog => File.Exists(_dir.File("access.log")) ? File.ReadAllText(_dir.File("access.log")) : "";

    /// <summary>Waits for <paramref name="text"/> in the access log: squid writes a CONNECT's line once the tunnel has closed.</summary>
    public void WaitForAccessLog(string text) => _squid.WaitUntil(() => AccessLog.Contains(text, StringComparison.Ordinal), $"\"{text}\" in access.log");

    private static string Hash(string password) => Run("openssl", "passwd", "-apr1", password).Trim();

    private static string Run(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(20_000) || process.ExitCode != 0)
            throw new InvalidOperationException($"{file} failed: {output}{error}");
        return output;
    }

    public void Dispose()
    {
        _squid?.Dispose();
        _dir.Dispose();
    }
}
