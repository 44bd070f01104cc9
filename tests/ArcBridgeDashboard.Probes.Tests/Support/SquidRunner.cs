using System.Diagnostics;
using System.Net;

namespace ArcBridgeDashboard.Probes.Tests.Support;

/// <summary>
/// Debian's squid on two loopback ports: an open one and one that demands Basic auth (407 without credentials).
/// CONNECT to <see cref="BlockedAddress"/> is denied by an ACL (403). Killed and its files removed on dispose.
/// </summary>
public sealed class SquidRunner : IDisposable
{
    public const string User = "arc";
    public const string Password = "s3cret pass";
    public static readonly IPAddress BlockedAddress = IPAddress.Parse("127.0.0.3");

    private readonly TempDir _dir = new();
    private readonly DaemonProcess _squid;

    public SquidRunner()
    {
        OpenPort = Ports.FreeTcp();
        AuthPort = Ports.FreeTcp();
        // squid drops to the "proxy" user: it must be able to write its logs here.
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(_dir.Path, (UnixFileMode)0x1FF);
        File.WriteAllText(_dir.File("passwd"), $"{User}:{HashPassword(Password)}\n");
        File.WriteAllText(_dir.File("squid.conf"), $"""
            http_port 127.0.0.1:{OpenPort} name=open
            http_port 127.0.0.1:{AuthPort} name=auth
            {CommonDirectives(_dir, "probes-test")}
            auth_param basic program /usr/lib/squid/basic_ncsa_auth {_dir.File("passwd")}
            auth_param basic realm probes
            acl openport myportname open
            acl authport myportname auth
            acl authed proxy_auth REQUIRED
            acl blocked dst {BlockedAddress}/32
            http_access deny blocked
            http_access allow openport
            http_access deny authport !authed
            http_access allow authport
            http_access deny all
            """);
        _squid = DaemonProcess.Start("/usr/sbin/squid", ["-N", "-d1", "-f", _dir.File("squid.conf")]);
        try
        {
            _squid.WaitForTcpPort(OpenPort);
            _squid.WaitForTcpPort(AuthPort);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>What every test squid shares: its files in <paramref name="dir"/>, no cache, quick shutdown, loopback DNS only.</summary>
    internal static string CommonDirectives(TempDir dir, string hostname) => $"""
        pid_filename {dir.File("squid.pid")}
        cache_log {dir.File("cache.log")}
        access_log {dir.File("access.log")}
        cache_store_log none
        coredump_dir {dir.Path}
        shutdown_lifetime 1 seconds
        pinger_enable off
        visible_hostname {hostname}
        # never the machine's resolver: a stray lookup goes to loopback and fails
        dns_nameservers 127.0.0.1
        dns_timeout 2 seconds
        cache_effective_user proxy
        cache deny all
        """;

    public int OpenPort { get; }
    public int AuthPort { get; }
    public Uri OpenProxy => new($"http://127.0.0.1:{OpenPort}");
    public Uri AuthProxy => new($"http://127.0.0.1:{AuthPort}");

    private static string HashPassword(string password)
    {
        var info = new ProcessStartInfo("openssl") { RedirectStandardOutput = true, RedirectStandardInput = true };
        foreach (var a in new[] { "passwd", "-apr1", "-stdin" }) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        process.StandardInput.WriteLine(password);
        process.StandardInput.Close();
        var hash = process.StandardOutput.ReadToEnd().Trim();
        if (!process.WaitForExit(10_000) || process.ExitCode != 0 || hash.Length == 0)
            throw new InvalidOperationException("openssl passwd -apr1 failed");
        return hash;
    }

    public void Dispose()
    {
        _squid.Dispose();
        _dir.Dispose();
    }
}
