using System.Text;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Probes.Http;
using ArcBridgeDashboard.Probes.Proxy;

namespace ArcBridgeDashboard.Probes.Revocation;

/// <summary>The head of the answer to one GET: null status when nothing came back in time.</summary>
public sealed record RevocationAnswer(int? StatusCode, string? StatusLine, ProxyDetails? Proxy, string? Failure);

/// <summary>
/// One plain HTTP GET of a CRL or OCSP URL over a connected stream: to the proxy with the absolute URI (as Windows and Go
/// clients do for http:// through a proxy, no CONNECT), or to the server with the path. Only the status line and headers
/// are read, plus a bounded excerpt of a proxy's error page.
/// </summary>
public static class RevocationFetch
{
    public static async Task<RevocationAnswer> GetAsync(Stream stream, Uri url, Uri? proxy, string? user, string? password,
        TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        var request = new StringBuilder()
            .Append("GET ").Append(proxy is null ? url.PathAndQuery : url.AbsoluteUri).Append(" HTTP/1.1\r\n")
            .Append("Host: ").Append(url.Authority).Append("\r\n")
            .Append("User-Agent: ArcBridgeDashboard-revocation-probe\r\n")
            .Append("Connection: close\r\n");
        if (proxy is not null && ProxyConnectProbe.Credentials(proxy, user, password) is { } credentials)
            request.Append("Proxy-Authorization: Basic ").Append(credentials).Append("\r\n");
        request.Append("\r\n");
        var proxyText = proxy is null ? null : $"{proxy.Scheme}://{proxy.Host}:{proxy.Port}";
        try
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(request.ToString()), cts.Token).ConfigureAwait(false);
            var head = await ResponseHead.ReadAsync(stream, cts.Token).ConfigureAwait(false);
            var lines = head.Split("\r\n");
            var status = ResponseHead.Status(lines[0]);
            if (status is null)
                return new(null, null, proxyText is null ? null : new ProxyDetails { Proxy = proxyText },
                    head.Length == 0 ? "the connection closed without an HTTP answer" : $"not an HTTP answer: \"{Printable(lines[0])}\"");
            ProxyDetails? details = null;
            if (proxyText is not null)
            {
                var page = status is >= 400 ? ProxyErrorPage.TextLines(await ProxyErrorPage.ReadBodyAsync(stream, lines, cts.Token).ConfigureAwait(false)) : [];
                details = new ProxyDetails
                {
                    Proxy = proxyText,
                    StatusCode = status,
                    StatusLine = lines[0],
                    Server = ProxyErrorPage.Header(lines, "Server"),
                    Via = ProxyErrorPage.Header(lines, "Via"),
                    ErrorHeader = ProxyErrorPage.ErrorHeader(lines),
                    BodyExcerpt = ProxyErrorPage.Excerpt(page),
                };
            }
            return new(status, lines[0], details, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new(null, null, proxyText is null ? null : new ProxyDetails { Proxy = proxyText }, $"no HTTP answer within {timeout.TotalSeconds:0.#} s");
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException)
        {
            return new(null, null, proxyText is null ? null : new ProxyDetails { Proxy = proxyText }, $"the connection failed: {ex.Message}");
        }
    }

    /// <summary>
    /// Through a proxy, 403, 407 and 5xx are the proxy refusing or failing to fetch (squid, tinyproxy); any other status,
    /// and any status at all without a proxy, came from the revocation server, which is all a client needs to get through.
    /// </summary>
    public static bool IsProxyRefusal(int status) => status is 403 or 407 or >= 500;

    private static string Printable(string text)
    {
        var clean = new string([.. text.Where(c => c >= ' ' && c < 127)]);
        return clean.Length > 80 ? clean[..80] : clean;
    }
}
