namespace ArcBridgeDashboard.Testing;

/// <summary>
/// Debian's tinyproxy on a loopback port, in the foreground. It resolves with the C library, which reads
/// /etc/resolv.conf and /etc/hosts and cannot be told a port: so it runs in a mount namespace of its own
/// (unshare -m, private propagation) where both are bind-mounted over with files naming only 127.0.0.1 — the
/// test's dnsmasq on port 53 — and the machine's resolver is never asked. Needs root.
/// </summary>
public sealed class TinyproxyRunner : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly DaemonProcess _tinyproxy;

    public TinyproxyRunner() : this("")
    {
    }

    /// <param name="extraConfig">More tinyproxy.conf lines, e.g. "BasicAuth user password".</param>
    public TinyproxyRunner(string extraConfig)
    {
        Port = Ports.FreeTcp();
        File.WriteAllText(_dir.File("resolv.conf"), "nameserver 127.0.0.1\noptions attempts:1 timeout:2\n");
        File.WriteAllText(_dir.File("hosts"), "127.0.0.1 localhost\n");
        File.WriteAllText(_dir.File("tinyproxy.conf"), $"""
            Port {Port}
            Listen 127.0.0.1
            Timeout 30
            MaxClients 20
            Allow 127.0.0.1
            LogLevel Info
            ViaProxyName "tinyproxy"
            {extraConfig}
            """);
        // Both mounts must succeed before tinyproxy starts: a failed mount would leave it on the real resolver.
        _tinyproxy = DaemonProcess.Start("unshare", ["-m", "--propagation", "private", "sh", "-c",
            "mount --bind \"$1\" /etc/resolv.conf && mount --bind \"$2\" /etc/hosts && exec tinyproxy -d -c \"$3\"",
            "tinyproxy-ns", _dir.File("resolv.conf"), _dir.File("hosts"), _dir.File("tinyproxy.conf")]);
        try
        {
            _tinyproxy.WaitForTcpPort(Port);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public int Port { get; }
    public Uri Proxy => new($"http://127.0.0.1:{Port}");
    public string Log => _tinyproxy.Output;

    public void Dispose()
    {
        _tinyproxy.Dispose();
        _dir.Dispose();
    }
}
