using System.Net;
using System.Net.Http.Headers;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Probes.Sweeps;

namespace ArcBridgeDashboard.Probes.Http;

/// <summary>The HTTP answer (any status means reachable), or why none came; <see cref="PostFault"/>: why the HTTP/2 POST after it failed.</summary>
public sealed record HttpOutcome(HttpDetails Details, PhaseFault? Fault)
{
    public PhaseFault? PostFault { get; init; }
}

/// <summary>
/// Sends one GET over the already authenticated TLS stream: no second connection, so the answer comes through
/// exactly the path (proxy tunnel, inspection device) the handshake went through.
/// </summary>
public sealed class HttpProbe
{
    /// <summary>Size of the POST body: a few KB, so it takes more than one frame's worth of a small window and looks like Arc's requests.</summary>
    public const int PostBodyBytes = 4096;

    /// <param name="postOverHttp2">After an answered GET over HTTP/2, POST <see cref="PostBodyBytes"/> bytes on the same connection.</param>
    public async Task<HttpOutcome> GetAsync(System.Net.Security.SslStream tlsStream, string host, int port, bool http2, TimeSpan timeout,
        CancellationToken cancellationToken, bool postOverHttp2 = false)
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
        using var request = Request(HttpMethod.Get, host, port, http2);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        var offered = new HttpDetails { Http2Offered = http2 };
        try
        {
            HttpDetails answered;
            using (var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token).ConfigureAwait(false))
            {
                answered = offered with
                {
                    StatusCode = (int)response.StatusCode,
                    Server = response.Headers.Server.Count == 0 ? null : response.Headers.Server.ToString(),
                    Version = $"HTTP/{response.Version}",
                    ServerDate = response.Headers.Date,
                };
            }
            return http2 && postOverHttp2
                ? await PostAsync(client, answered, host, port, timeout, cancellationToken).ConfigureAwait(false)
                : new(answered, null);
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

    /// <summary>
    /// The POST goes on the connection the GET used (the handler hands out no other), so a device that lets a bodyless
    /// GET through but breaks requests with a body is caught on the very path it sits in.
    /// </summary>
    private static async Task<HttpOutcome> PostAsync(HttpClient client, HttpDetails answered, string host, int port, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Post, host, port, http2: true);
        request.Content = new ByteArrayContent(new byte[PostBodyBytes]);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        var get = $"the GET on the same connection answered {answered.StatusCode}";
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token).ConfigureAwait(false);
            return new(answered with { Http2PostStatus = (int)response.StatusCode }, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var error = $"no answer to a {PostBodyBytes / 1024} KB HTTP/2 POST within {timeout.TotalSeconds:0.#} s";
            return new(answered with { Http2PostError = error }, null) { PostFault = new(ReasonCode.Http2PostStalled, $"{error}; {get}") };
        }
        catch (HttpRequestException ex) when (HasInner<SecondConnectionException>(ex))
        {
            // The handler retries a request the server refused unprocessed (GOAWAY below our stream, RST_STREAM REFUSED_STREAM).
            const string error = "the server ended the HTTP/2 connection (GOAWAY) or refused the stream instead of answering the POST";
            return new(answered with { Http2PostError = error }, null) { PostFault = new(ReasonCode.Http2PostRefused, $"{error}; {get}") };
        }
        catch (HttpRequestException ex) when (ex.HttpRequestError == HttpRequestError.HttpProtocolError || HasInner<HttpProtocolException>(ex))
        {
            var error = Describe(ex);
            return new(answered with { Http2PostError = error }, null) { PostFault = new(ReasonCode.Http2PostRefused, $"{error}; {get}") };
        }
        catch (HttpRequestException ex)
        {
            var error = Describe(ex);
            return new(answered with { Http2PostError = error }, null) { PostFault = new(ReasonCode.Http2PostReset, $"{error}; {get}") };
        }
    }

    private static HttpRequestMessage Request(HttpMethod method, string host, int port, bool http2)
    {
        // An https:// URI with a ConnectCallback that returns an authenticated SslStream: SocketsHttpHandler then uses
        // that stream as is (no second handshake) and picks HTTP/2 from its ALPN, and :scheme stays "https", which
        // servers such as Kestrel insist on (an http:// URI over TLS gets the stream reset with PROTOCOL_ERROR).
        var uri = new UriBuilder(Uri.UriSchemeHttps, host.Trim('[', ']'), port, "/").Uri;
        var request = new HttpRequestMessage(method, uri)
        {
            Version = http2 ? HttpVersion.Version20 : HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        var hostHeader = IPAddress.TryParse(host.Trim('[', ']'), out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? $"[{host.Trim('[', ']')}]"
            : host;
        request.Headers.Host = port == 443 ? hostHeader : $"{hostHeader}:{port}";
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("ArcBridgeDashboard-probe", "1.0"));
        return request;
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
