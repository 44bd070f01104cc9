using System.Net.Sockets;
using System.Text;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Probes.Http;
using ArcBridgeDashboard.Probes.Sweeps;
using ArcBridgeDashboard.Probes.Tcp;

namespace ArcBridgeDashboard.Probes.Proxy;

/// <summary>
/// The CONNECT outcome: the evidence the proxy gave, why it did not open a tunnel when it did not, and whether its words
/// point at its DNS or its connection (<see cref="ProxyDnsCheck"/> turns that into the final reason).
/// </summary>
public sealed record ProxyOutcome(ProxyDetails Details, PhaseFault? Fault, ProxyFailure Failure = ProxyFailure.None);

/// <summary>Asks an explicit HTTP proxy for a CONNECT tunnel over an already connected stream.</summary>
public sealed class ProxyConnectProbe
{
    public async Task<ProxyOutcome> ConnectAsync(Stream proxyStream, Uri proxy, string host, int port,
        string? user, string? password, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var proxyText = $"{proxy.Scheme}://{proxy.Host}:{proxy.Port}";
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        var authority = host.Contains(':') ? $"[{host}]:{port}" : $"{host}:{port}";
        var request = new StringBuilder()
            .Append("CONNECT ").Append(authority).Append(" HTTP/1.1\r\n")
            .Append("Host: ").Append(authority).Append("\r\n");
        var credentials = Credentials(proxy, user, password);
        if (credentials is not null)
            request.Append("Proxy-Authorization: Basic ").Append(credentials).Append("\r\n");
        request.Append("\r\n");

        string head;
        try
        {
            await proxyStream.WriteAsync(Encoding.ASCII.GetBytes(request.ToString()), cts.Token).ConfigureAwait(false);
            head = await ResponseHead.ReadAsync(proxyStream, cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new(new ProxyDetails { Proxy = proxyText }, new PhaseFault(ReasonCode.ProxyUnexpectedStatus,
                $"{proxyText} gave no CONNECT answer within {timeout.TotalSeconds:0.#} s"));
        }
        catch (IOException ex)
        {
            var code = TcpConnectProbe.FindSocketError(ex) is { } se ? TcpConnectProbe.Classify(se) : ReasonCode.ProxyUnexpectedStatus;
            return new(new ProxyDetails { Proxy = proxyText }, new PhaseFault(code, $"{proxyText} closed the connection: {ex.Message}"));
        }
        catch (SocketException ex)
        {
            return new(new ProxyDetails { Proxy = proxyText }, new PhaseFault(TcpConnectProbe.Classify(ex.SocketErrorCode), $"{proxyText}: {ex.SocketErrorCode}"));
        }

        var lines = head.Split("\r\n");
        var statusLine = lines[0];
        var status = ResponseHead.Status(statusLine);
        var errorHeader = ProxyErrorPage.ErrorHeader(lines);
        IReadOnlyList<string> page = [];
        // Only a refusal has a page to read: after a 2xx the next bytes belong to the tunnel.
        if (status is not null and not (>= 200 and < 300))
            page = ProxyErrorPage.TextLines(await ProxyErrorPage.ReadBodyAsync(proxyStream, lines, cts.Token).ConfigureAwait(false));
        var details = new ProxyDetails
        {
            Proxy = proxyText,
            StatusCode = status,
            StatusLine = statusLine.Length == 0 ? null : statusLine,
            Server = Header(lines, "Server"),
            Via = Header(lines, "Via"),
            ErrorHeader = errorHeader,
            BodyExcerpt = ProxyErrorPage.Excerpt(page),
        };
        var failure = ProxyErrorPage.Classify(status, statusLine, errorHeader, page, host);
        var said = string.Join(", ", new[] { details.Server is null ? null : $"Server: {details.Server}", errorHeader }.OfType<string>());
        var evidence = $"{proxyText} answered \"{statusLine}\"" + (said.Length == 0 ? "" : $" ({said})");
        PhaseFault? fault = status switch
        {
            >= 200 and < 300 => null,
            403 => new(ReasonCode.ProxyDenied, evidence),
            407 => new(ReasonCode.ProxyAuthRequired, credentials is null ? evidence + ", no credentials were given" : evidence + ", the credentials were rejected"),
            502 or 503 or 504 => new(ReasonCode.ProxyUpstreamFailed, evidence),
            // A 500 that speaks of DNS or connecting is the upstream failing, whatever status the proxy picked for it.
            _ when failure != ProxyFailure.None => new(ReasonCode.ProxyUpstreamFailed, evidence),
            _ => new(ReasonCode.ProxyUnexpectedStatus, statusLine.Length == 0 ? $"{proxyText} closed the connection without an answer" : evidence),
        };
        return new(details, fault, failure);
    }

    internal static string? Credentials(Uri proxy, string? user, string? password)
    {
        if (string.IsNullOrEmpty(user) && !string.IsNullOrEmpty(proxy.UserInfo))
        {
            var info = proxy.UserInfo.Split(':', 2);
            user = Uri.UnescapeDataString(info[0]);
            password = info.Length > 1 ? Uri.UnescapeDataString(info[1]) : "";
        }
        return string.IsNullOrEmpty(user) ? null : Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));
    }

    private static string? Header(string[] lines, string name) => ProxyErrorPage.Header(lines, name);
}
