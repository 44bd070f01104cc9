using System.Net;
using System.Net.Http.Headers;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Probes.Sweeps;

namespace ArcBridgeDashboard.Probes.Http;

/// <summary>The HTTP answer (any status means reachable), or why none came.</summary>
public sealed record HttpOutcome(HttpDetails Details, PhaseFault? Fault);

/// <summary>
/// Sends one GET over the already authenticated TLS stream: no second connection, so the answer comes through
/// exactly the path (proxy tunnel, inspection device) the handshake went through.
/// </summary>
public sealed class HttpProbe
{
    public async Task<HttpOutcome> GetAsync(System.Net.Security.SslStream tlsStream, string host, int port, bool http2, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var handedOut = 0;
        using var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectCallback = (_, _) => Interlocked.Exchange(ref handedOut, 1) == 0
                ? ValueTask.FromResult<Stream>(tlsStream)
                : throw new SecondConnectionException(),
        };
        using var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        // An https:// URI with a ConnectCallback that returns an authenticated SslStream: SocketsHttpHandler then uses
        // that stream as is (no second handshake) and picks HTTP/2 from its ALPN, and :scheme stays "https", which
        // servers such as Kestrel insist on (an http:// URI over TLS gets the stream reset with PROTOCOL_ERROR).
        var uri = new UriBuilder(Uri.UriSchemeHttps, host.Trim('[', ']'), port, "/").Uri;
        using var request = new HttpRequestMessage(HttpMethod.Get, uri)
        {
            Version = http2 ? HttpVersion.Version20 : HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        var hostHeader = IPAddress.TryParse(host.Trim('[', ']'), out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? $"[{host.Trim('[', ']')}]"
            : host;
        request.Headers.Host = port == 443 ? hostHeader : $"{hostHeader}:{port}";
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("ArcBridgeDashboard-probe", "1.0"));

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        var offered = new HttpDetails { Http2Offered = http2 };
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token).ConfigureAwait(false);
            return new(offered with
            {
                StatusCode = (int)response.StatusCode,
                Server = response.Headers.Server.Count == 0 ? null : response.Headers.Server.ToString(),
                Version = $"HTTP/{response.Version}",
                ServerDate = response.Headers.Date,
            }, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new(offered, new PhaseFault(ReasonCode.HttpTimeout, $"no answer within {timeout.TotalSeconds:0.#} s"));
        }
        catch (HttpRequestException ex) when (http2 && HasInner<SecondConnectionException>(ex))
        {
            // A GOAWAY (or RST_STREAM REFUSED) before our stream was processed makes HttpClient retry on a new
            // connection; the probe has only the one it tested, so the refusal itself is the evidence.
            const string error = "the server ended the HTTP/2 connection (GOAWAY) before answering the request";
            return new(offered with { Http2Error = error }, new PhaseFault(ReasonCode.Http2Rejected, error));
        }
        catch (HttpRequestException ex) when (http2 && IsHttp2Failure(ex))
        {
            return new(offered with { Http2Error = Describe(ex) }, new PhaseFault(ReasonCode.Http2Rejected, Describe(ex)));
        }
        catch (HttpRequestException ex)
        {
            return new(offered, new PhaseFault(ReasonCode.HttpNoResponse, Describe(ex)));
        }
    }

    // GOAWAY, RST_STREAM and garbage instead of frames are what inspecting proxies do to h2 they claimed to support.
    private static bool IsHttp2Failure(HttpRequestException ex)
        => ex.HttpRequestError is HttpRequestError.HttpProtocolError or HttpRequestError.InvalidResponse
            or HttpRequestError.VersionNegotiationError
           || ex.InnerException is HttpProtocolException
           || ex.Message.Contains("HTTP/2", StringComparison.OrdinalIgnoreCase);

    private static bool HasInner<T>(Exception ex) where T : Exception
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
            if (e is T)
                return true;
        return false;
    }

    private static string Describe(Exception ex)
    {
        var messages = new List<string>();
        for (var e = ex; e is not null; e = e.InnerException)
            messages.Add(e.Message);
        return string.Join(" ", messages.Distinct());
    }
}

/// <summary>Thrown when HttpClient asks for a second connection: the probe tests exactly one path.</summary>
internal sealed class SecondConnectionException() : IOException("the probe uses only the connection it tested");
