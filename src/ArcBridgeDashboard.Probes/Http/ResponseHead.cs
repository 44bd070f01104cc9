using System.Text;

namespace ArcBridgeDashboard.Probes.Http;

/// <summary>
/// The status line and headers of an HTTP/1.x answer read off a raw stream (a proxy's CONNECT answer, a WebSocket
/// upgrade, a revocation server's reply), without taking a byte of what follows them.
/// </summary>
internal static class ResponseHead
{
    private const int MaxBytes = 16 * 1024;

    /// <summary>
    /// Reads up to the blank line ending the head, byte by byte on purpose: after it come the tunnel, the WebSocket frames
    /// or an error page that <see cref="Proxy.ProxyErrorPage"/> reads by its own length. Empty when the peer closed first.
    /// </summary>
    public static async Task<string> ReadAsync(Stream stream, CancellationToken ct)
    {
        var buffer = new byte[MaxBytes];
        var one = new byte[1];
        var length = 0;
        while (length < MaxBytes && await stream.ReadAsync(one, ct).ConfigureAwait(false) == 1)
        {
            buffer[length++] = one[0];
            if (length >= 4 && buffer[length - 4] == '\r' && buffer[length - 3] == '\n' && buffer[length - 2] == '\r' && buffer[length - 1] == '\n')
                return Encoding.Latin1.GetString(buffer, 0, length - 4);
        }
        return Encoding.Latin1.GetString(buffer, 0, length).TrimEnd();
    }

    /// <summary>The status code of "HTTP/1.1 200 Connection established"; null when the line is not an HTTP status line.</summary>
    public static int? Status(string statusLine)
    {
        var parts = statusLine.Split(' ', 3);
        return parts.Length >= 2 && parts[0].StartsWith("HTTP/", StringComparison.Ordinal) && int.TryParse(parts[1], out var status) ? status : null;
    }
}
