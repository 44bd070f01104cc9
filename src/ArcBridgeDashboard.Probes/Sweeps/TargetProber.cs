using System.Net;
using System.Net.Sockets;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Probes.Dns;
using ArcBridgeDashboard.Probes.Http;
using ArcBridgeDashboard.Probes.Ntp;
using ArcBridgeDashboard.Probes.Proxy;
using ArcBridgeDashboard.Probes.Revocation;
using ArcBridgeDashboard.Probes.Tcp;
using ArcBridgeDashboard.Probes.Tls;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ArcBridgeDashboard.Probes.Sweeps;

/// <summary>Probes one target through its phases and returns a verdict. Never throws for network faults.</summary>
public sealed partial class TargetProber
{
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly DnsProbe _dns = new();
    private readonly TcpConnectProbe _tcp = new();
    private readonly ProxyConnectProbe _proxy = new();
    private readonly ProxyDnsCheck _proxyDns;
    private readonly TlsProbe _tls = new();
    private readonly HttpProbe _http = new();
    private readonly ArcGatewayTunnel _gateway = new();
    private readonly WebSocketProbe _webSocket = new();
    private readonly NtpProbe _ntp;

    public TargetProber(TimeProvider? timeProvider = null, ILogger<TargetProber>? logger = null)
    {
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _ntp = new NtpProbe(_time);
        _proxyDns = new ProxyDnsCheck(_dns);
    }

    /// <summary>
    /// Runs the phases of <paramref name="target"/>'s kind. Network faults end in a result; cancellation of
    /// <paramref name="cancellationToken"/> throws <see cref="OperationCanceledException"/>; a '*' in NoProxy or a non-http proxy URL throws <see cref="FormatException"/>.
    /// </summary>
    public async Task<ProbeResult> ProbeAsync(ProbeTarget target, ProbeSettings settings, CancellationToken cancellationToken = default)
    {
        if (target.Kind == ProbeKind.Revocation && target.Host is not null)
            return await ProbeAsync(RevocationPlan.Alone(target), settings, cancellationToken).ConfigureAwait(false);
        var run = new ProbeRun(target, _time);
        if (target.Host is null)
            return run.Fail(Phase.None, new PhaseFault(ReasonCode.NeedsHostname, target.ExpansionNote ?? ""));

        var noProxy = NoProxyRules.Validate(settings.Proxy, settings.NoProxy);
        var host = target.Host;
        return await GuardAsync(run, target, () => target.Kind switch
            {
                ProbeKind.Https => ProbeHttpsAsync(run, host, target, settings, noProxy, cancellationToken),
                ProbeKind.Ntp => ProbeNtpAsync(run, host, target, settings, cancellationToken),
                ProbeKind.TcpDirect => ProbeTcpDirectAsync(run, host, target, settings, cancellationToken),
                ProbeKind.Dns => ProbeDnsServerAsync(run, host, target, settings, cancellationToken),
                _ => throw new ArgumentOutOfRangeException(nameof(target), target.Kind, "unknown probe kind"),
            }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Fetches <paramref name="check"/>'s CRL or OCSP URL over plain HTTP, through the proxy unless noProxy sends it direct.</summary>
    public Task<ProbeResult> ProbeAsync(RevocationCheck check, ProbeSettings settings, CancellationToken cancellationToken = default)
    {
        var run = new ProbeRun(check.Target, _time);
        var noProxy = NoProxyRules.Validate(settings.Proxy, settings.NoProxy);
        return GuardAsync(run, check.Target, () => ProbeRevocationAsync(run, check, settings, noProxy, cancellationToken), cancellationToken);
    }

    private async Task<ProbeResult> GuardAsync(ProbeRun run, ProbeTarget target, Func<Task<ProbeResult>> probe, CancellationToken cancellationToken)
    {
        try
        {
            var result = await probe().ConfigureAwait(false);
            LogProbed(_logger, target.Key, result.Verdict, result.Reason, result.Phase);
            return result;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A bug or an unforeseen fault must not take the sweep down: report it against the phase it happened in.
            LogUnexpected(_logger, ex, target.Key, run.Current);
            return run.Fail(run.Current, new PhaseFault(GenericReason(run.Current), $"{ex.GetType().Name}: {ex.Message}"));
        }
    }

    private async Task<ProbeResult> ProbeHttpsAsync(ProbeRun run, string host, ProbeTarget target, ProbeSettings settings,
        NoProxyRules noProxy, CancellationToken ct)
    {
        var proxy = settings.Proxy;
        // Arc sends what its gateway covers through the gateway, and a proxy bypass does not apply to that traffic.
        var gateway = settings.Gateway is { } g && ArcGateway.Covers(host) ? g : null;
        var bypassed = proxy is not null && gateway is null && (target.BypassProxy || noProxy.Bypasses(host));
        var viaProxy = proxy is not null && !bypassed;
        if (proxy is not null)
            run.Details = run.Details with { Proxy = new ProxyDetails { Proxy = $"{proxy.Scheme}://{proxy.Host}:{proxy.Port}", Bypassed = bypassed } };

        // Through a proxy the proxy resolves the next hop (the target, or the gateway): our own DNS only has to find the
        // proxy. Without one, our DNS finds the gateway, and the gateway resolves the target.
        var hopHost = gateway?.IdnHost ?? host;
        var hopPort = gateway?.Port ?? target.Port;
        var connectHost = viaProxy ? proxy!.IdnHost : hopHost;
        var connectPort = viaProxy ? proxy!.Port : hopPort;
        var addresses = await ResolveAsync(run, connectHost, settings, ct).ConfigureAwait(false);
        if (addresses.Fault is not null)
            return run.Fail(Phase.Dns, viaProxy ? addresses.Fault with { Detail = $"proxy host {connectHost}: {addresses.Fault.Detail}" }
                : gateway is not null ? addresses.Fault with { Detail = $"Arc gateway host {connectHost}: {addresses.Fault.Detail}" }
                : addresses.Fault);

        var tcp = await run.TimeAsync(Phase.Tcp, () => _tcp.ConnectAsync(addresses.Addresses, connectPort, settings.PhaseTimeout, ct)).ConfigureAwait(false);
        run.Details = run.Details with { ConnectedAddress = tcp.Connected?.ToString() };
        if (tcp.Fault is not null)
            return viaProxy
                ? run.Fail(Phase.Proxy, new PhaseFault(ReasonCode.ProxyUnreachable, $"proxy {connectHost}:{connectPort} {Describe(tcp.Fault.Reason)} ({tcp.Fault.Detail})"))
                : run.Fail(Phase.Tcp, gateway is null ? tcp.Fault : tcp.Fault with { Detail = $"Arc gateway {connectHost}:{connectPort}: {tcp.Fault.Detail}" });

        var expected = ExpectedRoots.With(settings.ExpectedRoots);
        Stream stream = new NetworkStream(tcp.Socket!, ownsSocket: true);
        try
        {
            if (viaProxy)
            {
                var tunnel = await run.TimeAsync(Phase.Proxy, () => _proxy.ConnectAsync(stream, proxy!, hopHost, hopPort,
                    settings.ProxyUser, settings.ProxyPassword, settings.PhaseTimeout, ct)).ConfigureAwait(false);
                run.Details = run.Details with { Proxy = tunnel.Details };
                if (tunnel.Fault is not null)
                {
                    var verdict = await _proxyDns.ExplainAsync(tunnel, hopHost, settings.DnsServers, settings.PhaseTimeout, ct).ConfigureAwait(false);
                    run.Details = run.Details with { Proxy = verdict.Details };
                    return run.Fail(verdict.Phase, gateway is null ? verdict.Fault : verdict.Fault with { Detail = $"CONNECT to the Arc gateway: {verdict.Fault.Detail}" });
                }
            }

            if (gateway is not null)
            {
                var leg = await run.TimeAsync(Phase.Proxy, () => _gateway.OpenAsync(stream, gateway, host, target.Port, expected,
                    settings.TrustedRoots, _time.GetUtcNow(), settings.PhaseTimeout, ct)).ConfigureAwait(false);
                run.Details = run.Details with { Gateway = leg.Details };
                if (leg.Fault is not null)
                {
                    if (ReasonCatalog.Get(leg.Fault.Reason).Verdict == Verdict.Fail)
                        return run.Fail(Phase.Proxy, leg.Fault);
                    run.Warn(Phase.Proxy, leg.Fault);
                    return run.Pass();
                }
                stream = leg.Tunnel!;
            }

            var tls = await run.TimeAsync(Phase.Tls, () => _tls.HandshakeAsync(stream, host, expected, settings.TrustedRoots,
                _time.GetUtcNow(), settings.PhaseTimeout, ct,
                reconnect: token => ReopenAsync(addresses.Addresses, connectPort, viaProxy ? proxy : null, gateway, host, target.Port, settings, token))).ConfigureAwait(false);
            run.Details = run.Details with { Tls = tls.Details };
            if (tls.Fault is { Reason: ReasonCode.TlsInspected } && target.PostOverHttp2 && tls.Details.Alpn != "h2")
                return run.Fail(Phase.Tls, new PhaseFault(ReasonCode.Http2Downgraded,
                    $"ALPN came back {tls.Details.Alpn ?? "empty"} from a TLS-inspecting device; {tls.Fault.Detail}"));
            if (tls.Fault is not null)
                return run.Fail(Phase.Tls, tls.Fault);
            var ssl = tls.Stream!;
            stream = ssl;

            var h2 = tls.Details.Alpn == "h2";
            var sent = _time.GetUtcNow();
            var http = await run.TimeAsync(Phase.Http, () => _http.GetAsync(ssl, host, target.Port, h2, settings.PhaseTimeout, ct,
                postOverHttp2: target.PostOverHttp2)).ConfigureAwait(false);
            http = WithClockOffset(http, sent);
            run.Details = run.Details with { Http = http.Details };
            if (http.Details.ClockOffsetMs is { } offset && HttpClock.Judge(offset, settings.ClockWarnOffset, settings.ClockFailOffset) is { } skew)
            {
                if (skew.Reason == ReasonCode.ClockSkewTooLarge)
                    return run.Fail(Phase.Http, skew);
                run.Warn(Phase.Http, skew);
            }
            if (http.Fault is { Reason: ReasonCode.Http2Rejected })
            {
                // h2 is broken on this path; whether the service is reachable at all is answered by HTTP/1.1 on a new connection.
                var retry = await run.TimeAsync(Phase.Http, () => Http11OnNewConnectionAsync(
                    token => ReopenAsync(addresses.Addresses, connectPort, viaProxy ? proxy : null, gateway, host, target.Port, settings, token),
                    host, target.Port, settings, expected, ct)).ConfigureAwait(false);
                run.Details = run.Details with { Http = retry.Details with { Http2Offered = true, Http2Error = http.Details.Http2Error } };
                if (retry.Fault is not null)
                    return run.Fail(Phase.Http, retry.Fault with { Detail = $"{retry.Fault.Detail}; HTTP/2 had failed before: {http.Fault.Detail}" });
                run.Warn(Phase.Http, http.Fault with { Detail = $"{http.Fault.Detail}; HTTP/1.1 on a new connection answered {retry.Details.StatusCode}" });
                return run.Pass();
            }
            if (http.Fault is not null)
                return run.Fail(Phase.Http, http.Fault);
            if (target.PostOverHttp2 && !h2)
                return run.Fail(Phase.Tls, new PhaseFault(ReasonCode.Http2Downgraded,
                    $"ALPN came back {tls.Details.Alpn ?? "empty"}, so only HTTP/1.1 can be spoken (it answered {http.Details.StatusCode})"));
            if (http.PostFault is not null)
                return run.Fail(Phase.Http, http.PostFault);
            var extra = http.Details.Http2PostStatus is { } postStatus ? $", HTTP/2 POST {postStatus}" : "";
            if (target.WebSocketUpgrade)
            {
                var ws = await run.TimeAsync(Phase.Http, () => WebSocketOnNewConnectionAsync(
                    token => ReopenAsync(addresses.Addresses, connectPort, viaProxy ? proxy : null, gateway, host, target.Port, settings, token),
                    host, target.Port, settings, expected, ct)).ConfigureAwait(false);
                run.Details = run.Details with { Http = run.Details.Http! with { WebSocketStatus = ws.Status, WebSocketError = ws.Error } };
                if (ws.Fault is not null)
                    return run.Fail(Phase.Http, ws.Fault);
                extra += ", WebSocket upgrade 101";
            }
            return run.Pass(http.Details.StatusCode is { } status
                ? $"HTTP {status} over {http.Details.Version}{extra}, {tls.Details.Protocol}{PathText(viaProxy, gateway)}"
                : null);
        }
        finally
        {
            await stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static string PathText(bool viaProxy, Uri? gateway) => (viaProxy, gateway) switch
    {
        (true, not null) => ", via proxy and Arc gateway",
        (false, not null) => ", via Arc gateway",
        (true, null) => ", via proxy",
        _ => "",
    };

    private HttpOutcome WithClockOffset(HttpOutcome http, DateTimeOffset sent)
        => http.Details.ServerDate is { } date
            ? http with { Details = http.Details with { ClockOffsetMs = HttpClock.OffsetMs(date, sent, _time.GetUtcNow()) } }
            : http;

    private async Task<HttpOutcome> Http11OnNewConnectionAsync(Func<CancellationToken, Task<Stream?>> reopen, string host, int port,
        ProbeSettings settings, IReadOnlyList<System.Security.Cryptography.X509Certificates.X509Certificate2> expected, CancellationToken ct)
    {
        var stream = await reopen(ct).ConfigureAwait(false);
        if (stream is null)
            return new HttpOutcome(new HttpDetails(), new PhaseFault(ReasonCode.HttpNoResponse, "the path could not be opened again for an HTTP/1.1 attempt"));
        var tls = await _tls.HandshakeAsync(stream, host, expected, settings.TrustedRoots, _time.GetUtcNow(), settings.PhaseTimeout, ct,
            offerHttp2: false).ConfigureAwait(false);
        if (tls.Fault is not null)
            return new HttpOutcome(new HttpDetails(), new PhaseFault(ReasonCode.HttpNoResponse, $"the TLS handshake for an HTTP/1.1 attempt failed: {tls.Fault.Detail}"));
        await using var ssl = tls.Stream!;
        return await _http.GetAsync(ssl, host, port, http2: false, settings.PhaseTimeout, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The upgrade needs HTTP/1.1 (Arc's relay client does not use RFC 8441 over h2) and a fresh connection: the GET's
    /// connection belongs to HttpClient. It goes over the same path (TCP, CONNECT tunnel, gateway, TLS) as the GET.
    /// </summary>
    private async Task<WebSocketOutcome> WebSocketOnNewConnectionAsync(Func<CancellationToken, Task<Stream?>> reopen, string host, int port,
        ProbeSettings settings, IReadOnlyList<System.Security.Cryptography.X509Certificates.X509Certificate2> expected, CancellationToken ct)
    {
        var stream = await reopen(ct).ConfigureAwait(false);
        if (stream is null)
            return new(null, "the path could not be opened again", new PhaseFault(ReasonCode.WebSocketUpgradeBroken, "the path could not be opened again for the upgrade"));
        var tls = await _tls.HandshakeAsync(stream, host, expected, settings.TrustedRoots, _time.GetUtcNow(), settings.PhaseTimeout, ct,
            offerHttp2: false).ConfigureAwait(false);
        if (tls.Fault is not null)
        {
            var error = $"the TLS handshake for the upgrade failed: {tls.Fault.Detail}";
            return new(null, error, new PhaseFault(ReasonCode.WebSocketUpgradeBroken, error));
        }
        await using var ssl = tls.Stream!;
        return await _webSocket.UpgradeAsync(ssl, host.Trim('[', ']'), port, settings.PhaseTimeout, ct).ConfigureAwait(false);
    }

    /// <summary>Opens the same path again (TCP, the CONNECT tunnel when there is a proxy, the gateway's); null when that fails.</summary>
    private async Task<Stream?> ReopenAsync(IReadOnlyList<IPAddress> addresses, int port, Uri? proxy, Uri? gateway, string host, int targetPort,
        ProbeSettings settings, CancellationToken ct)
    {
        var tcp = await _tcp.ConnectAsync(addresses, port, settings.PhaseTimeout, ct).ConfigureAwait(false);
        if (tcp.Socket is null)
            return null;
        Stream stream = new NetworkStream(tcp.Socket, ownsSocket: true);
        if (proxy is not null)
        {
            var tunnel = await _proxy.ConnectAsync(stream, proxy, gateway?.IdnHost ?? host, gateway?.Port ?? targetPort,
                settings.ProxyUser, settings.ProxyPassword, settings.PhaseTimeout, ct).ConfigureAwait(false);
            if (tunnel.Fault is not null)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
                return null;
            }
        }
        if (gateway is null)
            return stream;
        var leg = await _gateway.OpenAsync(stream, gateway, host, targetPort, ExpectedRoots.With(settings.ExpectedRoots), settings.TrustedRoots,
            _time.GetUtcNow(), settings.PhaseTimeout, ct).ConfigureAwait(false);
        if (leg.Tunnel is null)
            await stream.DisposeAsync().ConfigureAwait(false);
        return leg.Tunnel;
    }

    private async Task<ProbeResult> ProbeRevocationAsync(ProbeRun run, RevocationCheck check, ProbeSettings settings, NoProxyRules noProxy, CancellationToken ct)
    {
        var url = check.Url;
        var proxy = settings.Proxy;
        var viaProxy = proxy is not null && !(check.Target.BypassProxy || noProxy.Bypasses(url.Host));
        var proxyText = proxy is null ? null : $"{proxy.Scheme}://{proxy.Host}:{proxy.Port}";
        var evidence = new RevocationDetails { Url = url.AbsoluteUri, NeededBy = check.NeededBy, FromDefaultList = check.FromDefaultList };
        run.Details = run.Details with
        {
            Revocation = evidence,
            Proxy = proxyText is null ? null : new ProxyDetails { Proxy = proxyText, Bypassed = !viaProxy },
        };
        var neededBy = NeededBy(check);
        ProbeResult Blocked(Phase phase, string why) => run.Fail(phase, new PhaseFault(ReasonCode.RevocationBlocked, $"{url.AbsoluteUri}: {why}; {neededBy}"));

        var connectHost = viaProxy ? proxy!.IdnHost : url.IdnHost;
        var connectPort = viaProxy ? proxy!.Port : url.Port;
        var addresses = await ResolveAsync(run, connectHost, settings, ct).ConfigureAwait(false);
        if (addresses.Fault is not null)
            return Blocked(Phase.Dns, (viaProxy ? "proxy host: " : "") + ReasonCatalog.Message(addresses.Fault.Reason, connectHost, addresses.Fault.Detail));

        var tcp = await run.TimeAsync(Phase.Tcp, () => _tcp.ConnectAsync(addresses.Addresses, connectPort, settings.PhaseTimeout, ct)).ConfigureAwait(false);
        run.Details = run.Details with { ConnectedAddress = tcp.Connected?.ToString() };
        if (tcp.Fault is not null)
            return Blocked(viaProxy ? Phase.Proxy : Phase.Tcp,
                (viaProxy ? "the proxy: " : "") + ReasonCatalog.Message(tcp.Fault.Reason, $"{connectHost}:{connectPort}", tcp.Fault.Detail));

        await using var stream = new NetworkStream(tcp.Socket!, ownsSocket: true);
        var answer = await run.TimeAsync(Phase.Http, () => RevocationFetch.GetAsync(stream, url, viaProxy ? proxy : null,
            settings.ProxyUser, settings.ProxyPassword, settings.PhaseTimeout, ct)).ConfigureAwait(false);
        run.Details = run.Details with
        {
            Revocation = evidence with { StatusCode = answer.StatusCode, StatusLine = answer.StatusLine },
            Proxy = answer.Proxy ?? run.Details.Proxy,
        };
        if (answer.StatusCode is not { } status)
            return Blocked(Phase.Http, answer.Failure ?? "no HTTP answer");
        if (viaProxy && RevocationFetch.IsProxyRefusal(status))
        {
            var said = string.Join(", ", new[] { answer.Proxy?.ErrorHeader, answer.Proxy?.Server is { } server ? $"Server: {server}" : null }.OfType<string>());
            return Blocked(Phase.Proxy, $"the proxy answered \"{answer.StatusLine}\"" + (said.Length == 0 ? "" : $" ({said})"));
        }
        return run.Pass($"HTTP {status} for {url.AbsoluteUri}{(viaProxy ? " via the proxy" : " directly")}; {neededBy}");
    }

    private static string NeededBy(RevocationCheck check) => RevocationPlan.Describe(check);

    private async Task<ProbeResult> ProbeTcpDirectAsync(ProbeRun run, string host, ProbeTarget target, ProbeSettings settings, CancellationToken ct)
    {
        var addresses = await ResolveAsync(run, host, settings, ct).ConfigureAwait(false);
        if (addresses.Fault is not null)
            return run.Fail(Phase.Dns, addresses.Fault);
        var tcp = await run.TimeAsync(Phase.Tcp, () => _tcp.ConnectAsync(addresses.Addresses, target.Port, settings.PhaseTimeout, ct)).ConfigureAwait(false);
        run.Details = run.Details with { ConnectedAddress = tcp.Connected?.ToString() };
        tcp.Socket?.Dispose();
        return tcp.Fault is null ? run.Pass($"connected to {tcp.Connected}, not through the proxy") : run.Fail(Phase.Tcp, tcp.Fault);
    }

    private async Task<ProbeResult> ProbeNtpAsync(ProbeRun run, string host, ProbeTarget target, ProbeSettings settings, CancellationToken ct)
    {
        var addresses = await ResolveAsync(run, host, settings, ct).ConfigureAwait(false);
        if (addresses.Fault is not null)
            return run.Fail(Phase.Dns, addresses.Fault);
        var address = addresses.Addresses.OrderBy(a => a.AddressFamily == AddressFamily.InterNetworkV6 ? 1 : 0).First();
        var ntp = await run.TimeAsync(Phase.Ntp, () => _ntp.CheckAsync(new IPEndPoint(address, target.Port),
            settings.NtpWarnOffset, settings.NtpFailOffset, settings.PhaseTimeout, ct)).ConfigureAwait(false);
        run.Details = run.Details with { Ntp = ntp.Details };
        if (ntp.Fault is null)
            return run.Pass($"offset {ntp.Details.OffsetMs:0.###} ms, stratum {ntp.Details.Stratum}");
        if (ReasonCatalog.Get(ntp.Fault.Reason).Verdict == Verdict.Fail)
            return run.Fail(Phase.Ntp, ntp.Fault);
        run.Warn(Phase.Ntp, ntp.Fault);
        return run.Pass();
    }

    private async Task<ProbeResult> ProbeDnsServerAsync(ProbeRun run, string host, ProbeTarget target, ProbeSettings settings, CancellationToken ct)
    {
        var addresses = await ResolveAsync(run, host, settings, ct).ConfigureAwait(false);
        if (addresses.Fault is not null)
            return run.Fail(Phase.Dns, addresses.Fault);
        var server = new IPEndPoint(addresses.Addresses[0], target.Port);
        var (udpCode, udpFault) = await run.TimeAsync(Phase.Dns, () => _dns.QueryServerAsync(server, settings.DnsCheckName, settings.PhaseTimeout, false, ct)).ConfigureAwait(false);
        var (tcpCode, tcpFault) = await run.TimeAsync(Phase.Dns, () => _dns.QueryServerAsync(server, settings.DnsCheckName, settings.PhaseTimeout, true, ct)).ConfigureAwait(false);
        run.Details = run.Details with { Dns = new DnsDetails { Server = server.ToString(), ResponseCode = udpCode ?? tcpCode } };
        if (udpFault is not null)
            return run.Fail(Phase.Dns, udpFault with { Detail = $"over UDP, asking for {settings.DnsCheckName}: {udpFault.Detail}" });
        if (tcpFault is not null)
            return run.Fail(Phase.Dns, tcpFault with { Detail = $"over TCP, asking for {settings.DnsCheckName}: {tcpFault.Detail}" });
        return run.Pass($"answered {udpCode} for {settings.DnsCheckName} over UDP and TCP");
    }

    /// <summary>IP literals skip DNS; names are resolved with the configured servers (or the system's).</summary>
    private async Task<DnsOutcome> ResolveAsync(ProbeRun run, string host, ProbeSettings settings, CancellationToken ct)
    {
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal))
            return new DnsOutcome(new DnsDetails(), [literal], null);
        if (DnsProbe.IsLocalName(host))
            run.Warn(Phase.Dns, new PhaseFault(ReasonCode.DnsLocalName, host));
        var outcome = await run.TimeAsync(Phase.Dns, () => _dns.ResolveAsync(host, settings.DnsServers, settings.PhaseTimeout, false, ct)).ConfigureAwait(false);
        run.Details = run.Details with { Dns = outcome.Details };
        return outcome;
    }

    private static string Describe(ReasonCode tcpReason) => tcpReason switch
    {
        ReasonCode.TcpRefused => "refused the connection",
        ReasonCode.TcpTimeout => "did not answer in time",
        ReasonCode.TcpReset => "reset the connection",
        _ => "is unreachable",
    };

    private static ReasonCode GenericReason(Phase phase) => phase switch
    {
        Phase.Dns => ReasonCode.DnsServFail,
        Phase.Tcp => ReasonCode.TcpUnreachable,
        Phase.Proxy => ReasonCode.ProxyUnexpectedStatus,
        Phase.Http => ReasonCode.HttpNoResponse,
        Phase.Ntp => ReasonCode.NtpInvalidResponse,
        _ => ReasonCode.TlsHandshakeFailed,
    };

    [LoggerMessage(Level = LogLevel.Debug, Message = "Probed {TargetKey}: {Verdict} {Reason} in phase {Phase}")]
    private static partial void LogProbed(ILogger logger, string targetKey, Verdict verdict, ReasonCode reason, Phase phase);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected error probing {TargetKey} in phase {Phase}")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string targetKey, Phase phase);
}
