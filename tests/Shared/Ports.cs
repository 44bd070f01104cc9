using System.Net;
using System.Net.Sockets;

namespace ArcBridgeDashboard.Testing;

/// <summary>Free loopback ports for daemons that cannot bind port 0 and report it back.</summary>
public static class Ports
{
    public static int FreeTcp()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static int FreeUdp()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>A port free for both UDP and TCP on 127.0.0.1 (DNS servers listen on both).</summary>
    public static int FreeUdpAndTcp()
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var port = FreeUdp();
            using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                tcp.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
                // taken for TCP: pick another
            }
        }
        throw new InvalidOperationException("no port free for both UDP and TCP on 127.0.0.1");
    }

    /// <summary>A TCP port on 127.0.0.1 where nothing listens: connecting gets a RST (refused).</summary>
    public static int ClosedTcp() => FreeTcp();
}

/// <summary>A temporary directory removed on dispose.</summary>
public sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("probes-test-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
