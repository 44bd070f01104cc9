using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace ArcBridgeDashboard.Bench.Sweep;

/// <summary>
/// The non-HTTPS peers a full catalog sweep needs inside the bench namespace: plain TCP acceptors (appliance VM and
/// control plane on 22/6443) and an SNTP responder (time.windows.com on UDP 123).
/// </summary>
public sealed class LoopbackPeers : IDisposable
{
    private static readonly DateTime NtpEpoch = new(1900, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<IDisposable> _sockets = [];

    public void AcceptTcp(int port)
    {
        var listener = new TcpListener(IPAddress.Any, port);
        listener.Start(512);
        _sockets.Add(listener.Server);
        _ = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                try { (await listener.AcceptSocketAsync(_stop.Token)).Dispose(); }
                catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { return; }
            }
        });
    }

    public void AnswerSntp(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Any, port));
        _sockets.Add(socket);
        _ = Task.Run(async () =>
        {
            var buffer = new byte[512];
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    var received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
                    if (received.ReceivedBytes < 48) continue;
                    var reply = new byte[48];
                    reply[0] = 0b00_100_100; // LI 0, version 4, mode 4 (server)
                    reply[1] = 2;            // stratum
                    reply[2] = 6;
                    reply[3] = 0xEC;
                    buffer.AsSpan(40, 8).CopyTo(reply.AsSpan(24)); // origin = the client's transmit time
                    var now = DateTime.UtcNow;
                    Write(reply.AsSpan(16), now.AddSeconds(-30));
                    Write(reply.AsSpan(32), now);
                    Write(reply.AsSpan(40), DateTime.UtcNow);
                    await socket.SendToAsync(reply, SocketFlags.None, received.RemoteEndPoint, _stop.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { return; }
            }
        });
    }

    private static void Write(Span<byte> destination, DateTime time)
    {
        var ticks = (time - NtpEpoch).Ticks;
        var seconds = (ulong)(ticks / TimeSpan.TicksPerSecond);
        var fraction = (ulong)(ticks % TimeSpan.TicksPerSecond) * (1UL << 32) / (ulong)TimeSpan.TicksPerSecond;
        BinaryPrimitives.WriteUInt64BigEndian(destination, (seconds << 32) | fraction);
    }

    public void Dispose()
    {
        _stop.Cancel();
        foreach (var socket in _sockets) socket.Dispose();
        _stop.Dispose();
    }
}
