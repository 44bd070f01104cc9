using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace ArcBridgeDashboard.Probes.Tests.Support;

/// <summary>
/// An in-test SNTP server on 127.0.0.1:0 whose clock is off by a chosen skew (a real chronyd cannot be told to
/// lie by 31 minutes on demand). It can also stay silent, send a short packet, or claim stratum 0.
/// </summary>
public sealed class SntpResponder : IDisposable
{
    private static readonly DateTime NtpEpoch = new(1900, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly CancellationTokenSource _stop = new();

    public SntpResponder(TimeSpan skew, int stratum = 2, bool silent = false, bool shortPacket = false)
    {
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _ = Task.Run(async () =>
        {
            var buffer = new byte[512];
            while (!_stop.IsCancellationRequested)
            {
                SocketReceiveFromResult received;
                try { received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token); }
                catch (Exception) { return; }
                if (silent || received.ReceivedBytes < 48) continue;
                var reply = new byte[48];
                reply[0] = 0b00_100_100; // LI 0, version 4, mode 4 (server)
                reply[1] = (byte)stratum;
                buffer.AsSpan(40, 8).CopyTo(reply.AsSpan(24)); // origin = client's transmit
                var now = DateTime.UtcNow + skew;
                Write(reply.AsSpan(32), now);
                Write(reply.AsSpan(40), now);
                try { await _socket.SendToAsync(shortPacket ? reply.AsMemory(0, 20) : reply, SocketFlags.None, received.RemoteEndPoint); }
                catch (Exception) { return; }
            }
        });
    }

    public int Port => ((IPEndPoint)_socket.LocalEndPoint!).Port;

    private static void Write(Span<byte> destination, DateTime time)
    {
        var ticks = (time - NtpEpoch).Ticks;
        BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)(ticks / TimeSpan.TicksPerSecond));
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], (uint)((ulong)(ticks % TimeSpan.TicksPerSecond) * 0x1_0000_0000UL / TimeSpan.TicksPerSecond));
    }

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
    }
}
