using System.Net;
using System.Net.Sockets;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Probes.Sweeps;

namespace ArcBridgeDashboard.Probes.Tcp;

/// <summary>The outcome of a TCP connect: an open socket, or why there is none.</summary>
public sealed record TcpOutcome(Socket? Socket, IPEndPoint? Connected, PhaseFault? Fault);

/// <summary>Connects to the first address that accepts, within one phase timeout for all attempts.</summary>
public sealed class TcpConnectProbe
{
    public async Task<TcpOutcome> ConnectAsync(IReadOnlyList<IPAddress> addresses, int port, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        PhaseFault? last = null;
        // IPv4 first: Arc networks are overwhelmingly v4 and a dead v6 route should not eat the whole timeout.
        foreach (var address in addresses.OrderBy(a => a.AddressFamily == AddressFamily.InterNetworkV6 ? 1 : 0))
        {
            var endpoint = new IPEndPoint(address, port);
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(endpoint, cts.Token).ConfigureAwait(false);
                return new TcpOutcome(socket, endpoint, null);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                socket.Dispose();
                // The message already names the target; the detail adds only what the target does not say.
                return new TcpOutcome(null, endpoint, new PhaseFault(ReasonCode.TcpTimeout,
                    $"no answer within {timeout.TotalSeconds:0.#} s"));
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                last = new PhaseFault(Classify(ex.SocketErrorCode), ex.SocketErrorCode.ToString());
            }
        }
        return new TcpOutcome(null, null, last ?? new PhaseFault(ReasonCode.DnsNoAddress, "no address to connect to"));
    }

    /// <summary>Maps socket errors to reasons; also used when a reset shows up in a later phase.</summary>
    public static ReasonCode Classify(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => ReasonCode.TcpRefused,
        SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown => ReasonCode.TcpReset,
        SocketError.TimedOut or SocketError.TryAgain or SocketError.WouldBlock => ReasonCode.TcpTimeout,
        SocketError.NetworkUnreachable or SocketError.HostUnreachable or SocketError.HostDown or SocketError.NetworkDown
            or SocketError.AddressNotAvailable => ReasonCode.TcpUnreachable,
        _ => ReasonCode.TcpUnreachable,
    };

    /// <summary>Finds a socket error in an exception chain (SslStream and HttpClient wrap them in IOException).</summary>
    public static SocketError? FindSocketError(Exception? ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
            if (e is SocketException se)
                return se.SocketErrorCode;
        return null;
    }
}
