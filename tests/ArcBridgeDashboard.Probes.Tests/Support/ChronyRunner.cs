using System.Net;

namespace ArcBridgeDashboard.Probes.Tests.Support;

/// <summary>Debian's chronyd as a real NTP server on a loopback high port (local stratum 8, never touching the system clock).</summary>
public sealed class ChronyRunner : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly DaemonProcess _chronyd;

    public ChronyRunner()
    {
        Port = Ports.FreeUdp();
        File.WriteAllText(_dir.File("chrony.conf"), $"""
            port {Port}
            bindaddress 127.0.0.1
            allow 127.0.0.1
            local stratum 8
            cmdport 0
            pidfile {_dir.File("chronyd.pid")}
            driftfile {_dir.File("drift")}
            """);
        _chronyd = DaemonProcess.Start("/usr/sbin/chronyd", ["-x", "-d", "-u", "root", "-f", _dir.File("chrony.conf")]);
        try
        {
            _chronyd.WaitForOutput("Disabled control of system clock");
            var client = new ArcBridgeDashboard.Probes.Ntp.SntpClient(TimeProvider.System);
            _chronyd.WaitUntil(() => client.QueryAsync(EndPoint, TimeSpan.FromMilliseconds(300), CancellationToken.None).GetAwaiter().GetResult() is not null,
                $"answering NTP on UDP {Port}");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public int Port { get; }
    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);

    public void Dispose()
    {
        _chronyd.Dispose();
        _dir.Dispose();
    }
}
