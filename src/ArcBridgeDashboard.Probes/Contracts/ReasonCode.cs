using System.Text.Json.Serialization;

namespace ArcBridgeDashboard.Probes.Contracts;

/// <summary>
/// Every way a probe can end. One documented enum: the README lists each code with its remedy,
/// and <see cref="ReasonCatalog"/> holds the text. Names are stable: they are stored and exported.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<ReasonCode>))]
public enum ReasonCode
{
    Ok,

    // Catalog
    NeedsHostname,

    // DNS
    DnsNxDomain,
    DnsServFail,
    DnsRefused,
    DnsTimeout,
    DnsNoAddress,
    DnsLocalName,

    // TCP
    TcpRefused,
    TcpTimeout,
    TcpReset,
    TcpUnreachable,

    // Explicit proxy
    ProxyDenied,
    ProxyAuthRequired,
    ProxyUpstreamFailed,
    ProxyUnreachable,
    ProxyUnexpectedStatus,

    // TLS
    TlsProtocolTooOld,
    TlsCertificateExpired,
    TlsCertificateNotYetValid,
    TlsInspected,
    TlsUntrustedRoot,
    TlsNameMismatch,
    TlsHandshakeFailed,
    TlsTimeout,

    // HTTP
    HttpNoResponse,
    HttpTimeout,
    Http2Rejected,

    // NTP
    NtpNoResponse,
    NtpSkewTooLarge,
    NtpSkewHigh,
    NtpInvalidResponse,

    // Appended, not grouped: the dashboard stores these as integers, so earlier values must never shift.
    DnsNoServer,
    ProxyDnsNxDomain,
    ProxyDnsRefused,
    ProxyDnsFailed,
    ClockSkewHigh,
    ClockSkewTooLarge,
    GatewayInspected,
    GatewayRefused,
    GatewayAuthRequired,
    Http2Downgraded,
    Http2PostRefused,
    Http2PostReset,
    Http2PostStalled,
    WebSocketUpgradeRefused,
    WebSocketUpgradeBroken,
    RevocationBlocked,
}
