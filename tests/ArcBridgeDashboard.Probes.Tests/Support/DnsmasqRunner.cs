using System.Net;

namespace ArcBridgeDashboard.Probes.Tests.Support;

/// <summary>
/// Debian's dnsmasq on a loopback high port, answering only what the test configures (no upstream, no hosts file):
/// names under "test" that are not configured get NXDOMAIN, names outside it get REFUSED.
/// </summary>
public sealed class DnsmasqRunner : IDisposable
{
    private readonly DaemonProcess _dnsmasq = null!;

    public DnsmasqRunner(params string[] extraArguments)
    {
        // Another process may take the port between our probe for it and dnsmasq's bind: try a few ports.
        for (var attempt = 1; ; attempt++)
        {
            Port = Ports.FreeUdpAndTcp();
            _dnsmasq = DaemonProcess.Start("/usr/sbin/dnsmasq",
            [
                "-k", $"--port={Port}", "--listen-address=127.0.0.1", "--bind-interfaces", "--no-resolv", "--no-hosts",
                "--conf-file=/dev/null", "--pid-file=", "--log-facility=-", "--log-queries", .. extraArguments,
            ]);
            try
            {
                _dnsmasq.WaitForOutput("started");
                _dnsmasq.WaitUntil(() => DaemonProcess.CanConnect(Port), $"listening on TCP {Port}");
                return;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                _dnsmasq.Dispose();
            }
            catch
            {
                _dnsmasq.Dispose();
                throw;
            }
        }
    }

    public int Port { get; }
    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);
    public string Log => _dnsmasq.Output;

    /// <summary>The lab zone: ok.test (A 127.0.0.1), v6.test (AAAA ::1), a two-step CNAME chain to ok.test, a .local name and txt.test with no address.</summary>
    public static DnsmasqRunner LabZone(params string[] extra) => new(
    [
        "--host-record=ok.test,127.0.0.1",
        "--host-record=v6.test,::1",
        "--cname=alias.test,mid.test",
        "--cname=mid.test,ok.test",
        "--host-record=arc.local,127.0.0.1",
        "--txt-record=txt.test,only text here",
        "--local=/test/",
        .. extra,
    ]);

    public void Dispose() => _dnsmasq.Dispose();
}
