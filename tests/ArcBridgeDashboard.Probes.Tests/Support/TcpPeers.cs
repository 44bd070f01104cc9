using System.Net;
using System.Net.Sockets;

namespace ArcBridgeDashboard.Probes.Tests.Support;

/// <summary>TCP peers with a misbehaviour: one that accepts and never speaks, one that resets, one whose backlog is full.</summary>
public sealed class TcpPeer : IDisposable
{
    private readonly Socket _listener;
    private readonly List<Socket> _held = [];
    private readonly CancellationTokenSource _stop = new();

    private TcpPeer(Socket listener) => _listener = listener;

    public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

    /// <summary>Accepts connections and holds them open in silence (a TLS client waits for a ServerHello that never comes).</summary>
    public static TcpPeer Silent() => Start(socket => { }, backlog: 16);

    /// <summary>Accepts, waits for the client's first bytes (a ClientHello), then aborts with a RST (SO_LINGER 0), like an SNI filter.</summary>
    public static TcpPeer Resetting() => Start(socket =>
    {
        var buffer = new byte[1];
        socket.ReceiveTimeout = 5000;
        try { socket.Receive(buffer); } catch (SocketException) { }
        socket.LingerState = new LingerOption(true, 0);
        socket.Close();
    }, backlog: 16);

    /// <summary>Answers whatever arrives with a plain-text HTTP 400, as a non-TLS web server on port 443 would.</summary>
    public static TcpPeer PlainHttp() => Start(socket =>
    {
        var buffer = new byte[4096];
        socket.ReceiveTimeout = 5000;
        try
        {
            socket.Receive(buffer);
            socket.Send("HTTP/1.1 400 Bad Request\r\nServer: plain\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8);
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException) { }
    }, backlog: 16);

    /// <summary>Listens with backlog 0 and never accepts; fills the queue so further SYNs are dropped (a connect times out).</summary>
    public static TcpPeer BacklogFull()
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(0);
        var peer = new TcpPeer(listener);
        for (var i = 0; i < 8; i++)
        {
            var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            peer._held.Add(filler);
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(700));
            try
            {
                filler.ConnectAsync(new IPEndPoint(IPAddress.Loopback, peer.Port), cts.Token).AsTask().GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
                return peer; // the queue is full: this SYN was dropped
            }
        }
        throw new InvalidOperationException("the listen queue never filled up");
    }

    private static TcpPeer Start(Action<Socket> onAccept, int backlog)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(backlog);
        var peer = new TcpPeer(listener);
        _ = Task.Run(async () =>
        {
            while (!peer._stop.IsCancellationRequested)
            {
                Socket socket;
                try { socket = await listener.AcceptAsync(peer._stop.Token); }
                catch (Exception) { return; }
                lock (peer._held) peer._held.Add(socket);
                onAccept(socket);
            }
        });
        return peer;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
        lock (_held)
            foreach (var socket in _held)
                socket.Dispose();
    }
}
