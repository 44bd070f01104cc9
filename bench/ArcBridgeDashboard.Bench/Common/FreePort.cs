using System.Net;
using System.Net.Sockets;

namespace ArcBridgeDashboard.Bench.Common;

public static class FreePort
{
    /// <summary>A loopback TCP port that was free a moment ago (for child processes that need --urls up front).</summary>
    public static int Pick()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
