using System.Net;

namespace ArcBridgeDashboard.Probes.Tests.Support;

/// <summary>
/// Debian's dnsmasq on a loopback high port, answering only what the test configures (no upstream, no hosts file):
/// names under "test" that are not configured get NXDOMAIN, names outside it get REFUSED.
/// </summary>
public sealed class DnsmasqRunner : IDisposable
{
    private readonly DaemonProcess _dnsmasq = null!;

    public DnsmasqRunner(params string[] extraArguments) : this(null, extraArguments)
    {
    }

    /// <param name="fixedPort">53 for daemons that cannot be told a port (squid's dns_nameservers, the C library's resolv.conf); null: a free port.</param>
    private DnsmasqRunner(int? fixedPort, string[] extraArguments)
    {
        // Another process may take the port between our probe for it and dnsmasq's bind: try a few ports (a fixed one once).
        var attempts = fixedPort is null ? 3 : 1;
        for (var attempt = 1; ; attempt++)
        {
            Port = fixedPort ?? Ports.FreeUdpAndTcp();
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
            catch (InvalidOperationException) when (attempt < attempts)
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
    public static DnsmasqRunner LabZone(params string[] extra) => new(LabZoneArguments(extra));

    private static string[] LabZoneArguments(string[] extra) =>
    [
        "--host-record=ok.test,127.0.0.1",
        "--host-record=v6.test,::1",
        "--cname=alias.test,mid.test",
        "--cname=mid.test,ok.test",
        "--host-record=arc.local,127.0.0.1",
        "--txt-record=txt.test,only text here",
        "--local=/test/",
        .. extra,
    ];

    /// <summary>
    /// The lab zone on 127.0.0.1:53, where squid and the C library look. Port 53 is free in the network namespace
    /// ./test.sh runs the tests in; outside one, something else may hold it and this fails saying so.
    /// </summary>
    public static DnsmasqRunner LabZoneOnPort53() => new(53, LabZoneArguments([]));

    public void Dispose() => _dnsmasq.Dispose();
}
