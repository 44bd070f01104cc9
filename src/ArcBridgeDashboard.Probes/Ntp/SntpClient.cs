using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace ArcBridgeDashboard.Probes.Ntp;

/// <summary>One parsed SNTP exchange (RFC 4330). Offset is how far the server's clock is ahead of ours.</summary>
public sealed record SntpReply(TimeSpan Offset, TimeSpan RoundTrip, int Stratum, int LeapIndicator, int Mode, bool OriginMatches);

/// <summary>A 48-byte SNTP client query over UDP. Local timestamps come from the injected <see cref="TimeProvider"/>.</summary>
public sealed class SntpClient(TimeProvider timeProvider)
{
    private static readonly DateTime NtpEpoch = new(1900, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Returns null when no datagram arrives in time; throws <see cref="FormatException"/> for a packet that is not NTP.</summary>
    public async Task<SntpReply?> QueryAsync(IPEndPoint server, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        await socket.ConnectAsync(server, cancellationToken).ConfigureAwait(false);
        var request = new byte[48];
        request[0] = 0b00_100_011; // LI 0, version 4, mode 3 (client)
        var t1 = timeProvider.GetUtcNow();
        WriteTimestamp(request.AsSpan(40), t1);
        await socket.SendAsync(request, SocketFlags.None, cancellationToken).ConfigureAwait(false);

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        var reply = new byte[512];
        int length;
        try
        {
            length = await socket.ReceiveAsync(reply, SocketFlags.None, cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionRefused or SocketError.ConnectionReset)
        {
            return null; // ICMP port unreachable: nothing listens, which for the operator is the same as no answer
        }
        var t4 = timeProvider.GetUtcNow();
        if (length < 48)
            throw new FormatException($"{length}-byte reply, an NTP packet has 48");

        var t2 = ReadTimestamp(reply.AsSpan(32));
        var t3 = ReadTimestamp(reply.AsSpan(40));
        var origin = reply.AsSpan(24, 8);
        return new SntpReply(
            Offset: ((t2 - t1) + (t3 - t4)) / 2,
            RoundTrip: (t4 - t1) - (t3 - t2),
            Stratum: reply[1],
            LeapIndicator: reply[0] >> 6,
            Mode: reply[0] & 0b111,
            OriginMatches: origin.SequenceEqual(request.AsSpan(40, 8)));
    }

    internal static void WriteTimestamp(Span<byte> destination, DateTimeOffset time)
    {
        var ticks = (time.UtcDateTime - NtpEpoch).Ticks;
        var seconds = (ulong)(ticks / TimeSpan.TicksPerSecond);
        var fraction = (ulong)(ticks % TimeSpan.TicksPerSecond) * 0x1_0000_0000UL / TimeSpan.TicksPerSecond;
        BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)seconds);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], (uint)fraction);
    }

    internal static DateTimeOffset ReadTimestamp(ReadOnlySpan<byte> source)
    {
        var seconds = BinaryPrimitives.ReadUInt32BigEndian(source);
        var fraction = BinaryPrimitives.ReadUInt32BigEndian(source[4..]);
        var ticks = seconds * TimeSpan.TicksPerSecond + (long)(fraction * (ulong)TimeSpan.TicksPerSecond >> 32);
        return new DateTimeOffset(NtpEpoch.AddTicks(ticks));
    }
}
