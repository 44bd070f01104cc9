using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ArcBridgeDashboard.Probes.Contracts;

namespace ArcBridgeDashboard.EndToEnd.Tests.Agents;

/// <summary>
/// A loopback TCP relay between an agent and the dashboard that behaves like a middlebox dropping long-lived
/// connections: on <see cref="CutHub"/> it resets the agent's SignalR connections and refuses new ones, while plain
/// HTTP requests (plan, results, command polls) keep passing. Connections are classified by their first request line,
/// which works because the agent's hub and API traffic use separate HTTP clients and so separate connections.
/// </summary>
public sealed class HubCuttingRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _upstream;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Socket, byte> _hubConnections = new();
    private readonly Task _accepting;
    private volatile bool _hubBlocked;

    public HubCuttingRelay(IPEndPoint upstream)
    {
        _upstream = upstream;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public Uri Url => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    public int HubConnectionsRefused;

    public void CutHub()
    {
        _hubBlocked = true;
        foreach (var socket in _hubConnections.Keys)
        {
            socket.LingerState = new LingerOption(true, 0); // RST, like a firewall dropping the flow
            socket.Dispose();
        }
    }

    public void RestoreHub() => _hubBlocked = false;

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(Socket client)
    {
        using var _ = client;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var first = new byte[16 * 1024];
        try
        {
            var read = await client.ReceiveAsync(first, SocketFlags.None, timeout.Token);
            if (read == 0)
                return;
            var isHub = Encoding.ASCII.GetString(first, 0, Math.Min(read, 512)).Split('\n')[0].Contains(AgentApi.HubPath, StringComparison.Ordinal);
            if (isHub && _hubBlocked)
            {
                Interlocked.Increment(ref HubConnectionsRefused);
                client.LingerState = new LingerOption(true, 0);
                return;
            }
            using var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await server.ConnectAsync(_upstream, _stop.Token);
            if (isHub)
                _hubConnections.TryAdd(client, 0);
            await server.SendAsync(first.AsMemory(0, read), SocketFlags.None, _stop.Token);
            await Task.WhenAny(PumpAsync(client, server), PumpAsync(server, client));
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // a cut or closed connection: nothing to relay any more
        }
        finally
        {
            _hubConnections.TryRemove(client, out var _);
        }
    }

    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token)) > 0)
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // either side went away
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        foreach (var socket in _hubConnections.Keys)
            socket.Dispose();
        await _accepting;
        _stop.Dispose();
    }
}
