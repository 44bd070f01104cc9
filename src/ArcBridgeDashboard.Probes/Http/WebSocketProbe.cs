using System.Net;
using System.Security.Cryptography;
using System.Text;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Probes.Sweeps;

namespace ArcBridgeDashboard.Probes.Http;

/// <summary>The upgrade's status and evidence, or why it failed.</summary>
public sealed record WebSocketOutcome(int? Status, string? Error, PhaseFault? Fault);

/// <summary>
/// The RFC 6455 opening handshake, by hand over an already authenticated HTTP/1.1 TLS stream: ClientWebSocket would
/// dial on its own, and the probe must test the path it opened (tunnel, inspection device) and read the refusal.
/// </summary>
public sealed class WebSocketProbe
{
    /// <summary>Service Bus's AMQP-over-WebSocket endpoint: it upgrades before any authentication (that happens inside AMQP).</summary>
    public const string Path = "/$servicebus/websocket";
    public const string SubProtocol = "AMQPWSB10";
    private const string AcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    public async Task<WebSocketOutcome> UpgradeAsync(Stream tlsStream, string host, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var name = host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host;
        var hostHeader = port == 443 ? name : $"{name}:{port}";
        var request = $"GET {Path} HTTP/1.1\r\nHost: {hostHeader}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                      $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: {SubProtocol}\r\n" +
                      "User-Agent: ArcBridgeDashboard-probe/1.0\r\n\r\n";
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        string head;
        try
        {
            await tlsStream.WriteAsync(Encoding.ASCII.GetBytes(request), cts.Token).ConfigureAwait(false);
            head = await ResponseHead.ReadAsync(tlsStream, cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Broken(null, $"no answer to the upgrade request within {timeout.TotalSeconds:0.#} s");
        }
        catch (IOException ex)
        {
            return Broken(null, $"the connection was cut during the upgrade ({ex.Message})");
        }
        if (head.Length == 0)
            return Broken(null, "the connection was closed without an answer to the upgrade request");

        var lines = head.Split("\r\n");
        var statusLine = lines[0];
        if (ResponseHead.Status(statusLine) is not { } status)
            return Broken(null, $"the answer is not HTTP: \"{Printable(statusLine)}\"");
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).Where(p => p.Length == 2)
            .GroupBy(p => p[0].Trim(), StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First()[1].Trim(), StringComparer.OrdinalIgnoreCase);
        var server = headers.TryGetValue("Server", out var s) ? $", Server: {Printable(s)}" : "";
        var via = headers.TryGetValue("Via", out var v) ? $", Via: {Printable(v)}" : "";

        if (status != (int)HttpStatusCode.SwitchingProtocols)
        {
            var error = $"answered \"{Printable(statusLine)}\"{(headers.ContainsKey("Upgrade") ? "" : " without an Upgrade header")}{server}{via}";
            return new(status, error, new PhaseFault(ReasonCode.WebSocketUpgradeRefused, error));
        }
        if (!headers.TryGetValue("Upgrade", out var upgrade) || !upgrade.Equals("websocket", StringComparison.OrdinalIgnoreCase))
            return Broken(status, $"101 without \"Upgrade: websocket\"{server}{via}");
        var expected = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + AcceptGuid)));
        if (!headers.TryGetValue("Sec-WebSocket-Accept", out var accept) || accept != expected)
            return Broken(status, $"101 with a Sec-WebSocket-Accept that does not answer our key ({Printable(accept ?? "none")}){server}{via}");
        return new(status, null, null);
    }

    private static WebSocketOutcome Broken(int? status, string error) => new(status, error, new PhaseFault(ReasonCode.WebSocketUpgradeBroken, error));

    private static string Printable(string text)
    {
        var clean = new string(text.Where(c => c >= ' ' && c < 127).ToArray());
        return clean.Length > 200 ? clean[..200] + "…" : clean;
    }
}
