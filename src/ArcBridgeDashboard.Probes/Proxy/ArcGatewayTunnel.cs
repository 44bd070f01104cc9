using System.Security.Cryptography.X509Certificates;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Probes.Sweeps;
using ArcBridgeDashboard.Probes.Tls;

namespace ArcBridgeDashboard.Probes.Proxy;

/// <summary>The tunnel to the target through the Arc gateway, or where it stopped. Warn faults (auth) leave no tunnel.</summary>
public sealed record GatewayOutcome(Stream? Tunnel, GatewayDetails Details, PhaseFault? Fault);

/// <summary>
/// Opens the Arc gateway's path over a stream already connected to the gateway (directly, or through the enterprise
/// proxy's CONNECT): TLS with the gateway, judged against the expected Microsoft roots, then CONNECT to the target inside
/// that TLS session. The target's own TLS then runs inside the tunnel, as Arc's traffic does.
/// </summary>
public sealed class ArcGatewayTunnel
{
    private readonly TlsProbe _tls = new();
    private readonly ProxyConnectProbe _connect = new();

    public async Task<GatewayOutcome> OpenAsync(Stream toGateway, Uri gateway, string host, int port,
        IReadOnlyList<X509Certificate2> expectedRoots, IReadOnlyList<X509Certificate2> trustedRoots, DateTimeOffset now,
        TimeSpan timeout, CancellationToken ct)
    {
        var gatewayText = $"{gateway.Host}:{gateway.Port}";
        var tls = await _tls.HandshakeAsync(toGateway, gateway.IdnHost, expectedRoots, trustedRoots, now, timeout, ct, offerHttp2: false)
            .ConfigureAwait(false);
        var details = new GatewayDetails { Gateway = $"https://{gatewayText}", Tls = tls.Details };
        if (tls.Fault is { } tlsFault)
        {
            // An inspected gateway chain is the one failure Arc documents as unsupported; other TLS faults keep their own reason.
            var fault = tlsFault.Reason == ReasonCode.TlsInspected
                ? new PhaseFault(ReasonCode.GatewayInspected, $"gateway {gatewayText}: {tlsFault.Detail}")
                : tlsFault with { Detail = $"TLS with the Arc gateway {gatewayText}: {tlsFault.Detail}" };
            return new(null, details, fault);
        }

        var ssl = tls.Stream!;
        var inner = await _connect.ConnectAsync(ssl, gateway, host, port, null, null, timeout, ct).ConfigureAwait(false);
        details = details with { StatusCode = inner.Details.StatusCode, StatusLine = inner.Details.StatusLine };
        if (inner.Fault is null)
            return new(ssl, details, null);
        await ssl.DisposeAsync().ConfigureAwait(false);
        var said = $"gateway {gatewayText} answered \"{inner.Details.StatusLine ?? "nothing"}\"";
        return new(null, details, inner.Details.StatusCode == 407
            ? new PhaseFault(ReasonCode.GatewayAuthRequired, said)
            : new PhaseFault(ReasonCode.GatewayRefused, said));
    }
}
