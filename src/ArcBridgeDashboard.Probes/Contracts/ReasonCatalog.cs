namespace ArcBridgeDashboard.Probes.Contracts;

/// <summary>The documented meaning of one <see cref="ReasonCode"/>.</summary>
/// <param name="Verdict">The verdict a probe ends with when this is its reason.</param>
/// <param name="Phase">The phase this reason normally belongs to (a reset can also surface in a later phase).</param>
/// <param name="MessageTemplate">One line; <c>{target}</c> and <c>{detail}</c> are filled in by <see cref="ReasonCatalog.Message"/>.</param>
/// <param name="Remedy">One line: what the operator should change.</param>
public sealed record ReasonInfo(Verdict Verdict, Phase Phase, string MessageTemplate, string Remedy);

/// <summary>
/// The text behind every reason code. The README's reason table is generated from the same words, so keep them
/// one line each and aimed at the person who can change the firewall, proxy, DNS or clock.
/// </summary>
public static class ReasonCatalog
{
    private static readonly Dictionary<ReasonCode, ReasonInfo> Entries = new()
    {
        [ReasonCode.Ok] = new(Verdict.Pass, Phase.None, "{target} is reachable{detail}", "Nothing to do."),
        [ReasonCode.NeedsHostname] = new(Verdict.Warn, Phase.None,
            "{target} is a wildcard that could not be expanded to a host name{detail}",
            "Give a concrete host for this wildcard (--wildcard PATTERN=HOST or the WildcardOverrides setting)."),

        [ReasonCode.DnsNxDomain] = new(Verdict.Fail, Phase.Dns, "DNS says {target} does not exist (NXDOMAIN){detail}",
            "Make the DNS servers resolve public Azure names (forward them to a resolver that can), or fix the host name."),
        [ReasonCode.DnsServFail] = new(Verdict.Fail, Phase.Dns, "DNS server failed to resolve {target} (SERVFAIL){detail}",
            "Check the DNS server's forwarders and its upstream reachability; SERVFAIL means it could not get an answer."),
        [ReasonCode.DnsRefused] = new(Verdict.Fail, Phase.Dns, "DNS server refused to resolve {target} (REFUSED){detail}",
            "Allow recursion for this client on the DNS server, or point the machine at a server that resolves Internet names."),
        [ReasonCode.DnsTimeout] = new(Verdict.Fail, Phase.Dns, "No DNS answer for {target} in time{detail}",
            "Open UDP and TCP 53 from this machine to its DNS servers and check that they are running."),
        [ReasonCode.DnsNoAddress] = new(Verdict.Fail, Phase.Dns, "DNS has no A or AAAA record for {target}{detail}",
            "Check for split-horizon zones or filtering that strips the address records of this name."),
        [ReasonCode.DnsLocalName] = new(Verdict.Warn, Phase.Dns, "{target} ends in .local, which Arc resource bridge does not support{detail}",
            "Use a DNS domain other than .local (it is reserved for multicast DNS)."),
        [ReasonCode.DnsNoServer] = new(Verdict.Fail, Phase.Dns, "No DNS server is configured or reachable to resolve {target}{detail}",
            "Give this machine a DNS server that resolves public Azure names (a nameserver line in /etc/resolv.conf or the network settings), or pass --dns-server."),
        [ReasonCode.ProxyDnsNxDomain] = new(Verdict.Fail, Phase.Dns, "DNS at the proxy: {target} does not exist (NXDOMAIN){detail}",
            "The proxy resolves the target itself: make the proxy's DNS servers resolve public Azure names (forward them to a resolver that can), or fix the host name."),
        [ReasonCode.ProxyDnsRefused] = new(Verdict.Fail, Phase.Dns, "DNS at the proxy: the DNS server refused to resolve {target} (REFUSED){detail}",
            "The proxy resolves the target itself: allow recursion for the proxy on its DNS server, or point the proxy at a DNS server that resolves Internet names."),
        [ReasonCode.ProxyDnsFailed] = new(Verdict.Fail, Phase.Dns, "DNS at the proxy: the proxy could not resolve {target}{detail}",
            "The proxy resolves the target itself: check the DNS servers the proxy uses (squid's dns_nameservers, the proxy host's resolv.conf) and that they resolve public Azure names."),

        [ReasonCode.TcpRefused] = new(Verdict.Fail, Phase.Tcp, "Connection to {target} was refused{detail}",
            "Something answered with a reset: allow the port on the firewall, or start the service that should listen there."),
        [ReasonCode.TcpTimeout] = new(Verdict.Fail, Phase.Tcp, "Connection to {target} timed out{detail}",
            "Packets are silently dropped: allow this destination and port on the firewall (or use the proxy)."),
        [ReasonCode.TcpReset] = new(Verdict.Fail, Phase.Tcp, "Connection to {target} was reset{detail}",
            "A firewall or filter cut the connection after it opened (often SNI or URL filtering): allow this host."),
        [ReasonCode.TcpUnreachable] = new(Verdict.Fail, Phase.Tcp, "{target} is unreachable (no route){detail}",
            "Fix the routing or default gateway of this machine, or go through the proxy."),

        [ReasonCode.ProxyDenied] = new(Verdict.Fail, Phase.Proxy, "The proxy denied CONNECT to {target} (403){detail}",
            "Add this host and port to the proxy's allowlist."),
        [ReasonCode.ProxyAuthRequired] = new(Verdict.Fail, Phase.Proxy, "The proxy wants authentication for {target} (407){detail}",
            "Give proxy credentials (user/password in the proxy URL or settings), or exempt this machine from proxy authentication."),
        [ReasonCode.ProxyUpstreamFailed] = new(Verdict.Fail, Phase.Proxy, "The proxy could not reach {target}{detail}",
            "The proxy's own outbound path fails: check the proxy's DNS, firewall and upstream (parent proxy) for this host."),
        [ReasonCode.ProxyUnreachable] = new(Verdict.Fail, Phase.Proxy, "Cannot connect to the proxy for {target}{detail}",
            "Check the proxy address and port, and that the firewall lets this machine reach the proxy."),
        [ReasonCode.ProxyUnexpectedStatus] = new(Verdict.Fail, Phase.Proxy, "The proxy answered CONNECT to {target} unexpectedly{detail}",
            "Check that the proxy URL points at an HTTP proxy that supports CONNECT on this port."),

        [ReasonCode.TlsProtocolTooOld] = new(Verdict.Fail, Phase.Tls, "{target} only offers TLS below 1.2{detail}",
            "Something in the path (proxy or inspection device) downgrades TLS: enable TLS 1.2 or newer there."),
        [ReasonCode.TlsCertificateExpired] = new(Verdict.Fail, Phase.Tls, "The certificate of {target} has expired{detail}",
            "Check this machine's clock first (a clock in the future shows valid certificates as expired), then the certificate."),
        [ReasonCode.TlsCertificateNotYetValid] = new(Verdict.Fail, Phase.Tls, "The certificate of {target} is not valid yet{detail}",
            "This machine's clock is probably behind: fix NTP, then probe again."),
        [ReasonCode.TlsInspected] = new(Verdict.Fail, Phase.Tls, "TLS to {target} is intercepted{detail}",
            "Exempt this host from TLS inspection on the proxy or firewall; Arc resource bridge does not support TLS inspection."),
        [ReasonCode.TlsUntrustedRoot] = new(Verdict.Fail, Phase.Tls, "The certificate of {target} does not chain to a trusted root{detail}",
            "Find the device presenting this certificate; if it is your private PKI, add its root with --trust-ca."),
        [ReasonCode.TlsNameMismatch] = new(Verdict.Fail, Phase.Tls, "The certificate presented for {target} is for another name{detail}",
            "Something answers in place of the real host (captive portal, wrong DNS, transparent proxy): fix that path."),
        [ReasonCode.TlsHandshakeFailed] = new(Verdict.Fail, Phase.Tls, "The TLS handshake with {target} failed{detail}",
            "Check for devices that tamper with TLS on this path, or a service that is not TLS on this port."),
        [ReasonCode.TlsTimeout] = new(Verdict.Fail, Phase.Tls, "The TLS handshake with {target} did not finish in time{detail}",
            "Something accepts the connection but never speaks TLS: check firewalls that hold connections or a non-TLS service."),

        [ReasonCode.HttpNoResponse] = new(Verdict.Fail, Phase.Http, "{target} closed the connection without an HTTP answer{detail}",
            "Check proxies or filters that cut requests after the TLS handshake."),
        [ReasonCode.HttpTimeout] = new(Verdict.Fail, Phase.Http, "No HTTP answer from {target} in time{detail}",
            "Check proxies or filters that hold requests; the connection and TLS worked."),
        [ReasonCode.Http2Rejected] = new(Verdict.Warn, Phase.Http, "HTTP/2 to {target} was offered but failed{detail}",
            "A TLS-inspecting proxy likely breaks HTTP/2: exempt this host from inspection."),

        [ReasonCode.NtpNoResponse] = new(Verdict.Fail, Phase.Ntp, "No NTP answer from {target}{detail}",
            "Allow UDP 123 outbound to this time server, or configure an internal NTP server."),
        [ReasonCode.NtpSkewTooLarge] = new(Verdict.Fail, Phase.Ntp, "The clock differs from {target} by too much{detail}",
            "Fix time synchronisation: Arc refuses to work with 30 minutes or more of clock skew."),
        [ReasonCode.NtpSkewHigh] = new(Verdict.Warn, Phase.Ntp, "The clock differs from {target} noticeably{detail}",
            "Enable and check time synchronisation (chrony, w32time) before the skew grows."),
        [ReasonCode.NtpInvalidResponse] = new(Verdict.Fail, Phase.Ntp, "{target} sent an unusable NTP answer{detail}",
            "The server is unsynchronised or something answers UDP 123 in its place: use another time source."),

        // From the Date header of HTTPS answers: seen even where UDP 123 is blocked.
        [ReasonCode.ClockSkewHigh] = new(Verdict.Warn, Phase.Http, "This machine's clock differs from {target}'s HTTP Date noticeably{detail}",
            "Enable and check time synchronisation (chrony, w32time, or the NTP server your network allows) before the skew reaches Arc's 30-minute limit."),
        [ReasonCode.ClockSkewTooLarge] = new(Verdict.Fail, Phase.Http, "This machine's clock differs from {target}'s HTTP Date by 30 minutes or more{detail}",
            "Fix the clock: Arc refuses to work with 30 minutes or more of skew (ClockSkewError), and certificates look expired or not yet valid."),

        // Arc gateway mode: the gateway is an HTTPS proxy; the enterprise proxy's own faults keep the Proxy* reasons.
        [ReasonCode.GatewayInspected] = new(Verdict.Fail, Phase.Proxy, "The Arc gateway's TLS chain is not Microsoft's on the way to {target}{detail}",
            "Exempt the gateway host (*.gw.arc.azure.com) from TLS inspection: Arc does not support a TLS-terminating proxy in front of the gateway."),
        [ReasonCode.GatewayRefused] = new(Verdict.Fail, Phase.Proxy, "The Arc gateway did not open a tunnel to {target}{detail}",
            "Check the gateway resource's allowed features and that this endpoint is one the gateway serves; otherwise allow it directly."),
        [ReasonCode.GatewayAuthRequired] = new(Verdict.Warn, Phase.Proxy, "The Arc gateway asks for the Arc agent's identity before {target}{detail}",
            "The path to the gateway works; the tunnel itself opens for an onboarded Arc agent only, which this probe is not."),

        // What Arc sends beyond a GET: an HTTP/2 POST to the data planes, a WebSocket upgrade to the service bus.
        [ReasonCode.Http2Downgraded] = new(Verdict.Fail, Phase.Tls, "{target} needs HTTP/2, but the TLS handshake came back without it{detail}",
            "Arc talks HTTP/2 to this host: exempt it from TLS inspection, or allow HTTP/2 (ALPN h2) on the proxy or inspection device."),
        [ReasonCode.Http2PostRefused] = new(Verdict.Fail, Phase.Http, "An HTTP/2 POST to {target} was refused with GOAWAY or RST_STREAM{detail}",
            "Something in the path breaks HTTP/2 requests with a body: exempt this host from inspection or allow HTTP/2 POSTs on the proxy or inspection device."),
        [ReasonCode.Http2PostReset] = new(Verdict.Fail, Phase.Http, "The connection to {target} was cut while sending an HTTP/2 POST{detail}",
            "A filter drops the connection when a request with a body comes: exempt this host from inspection or allow HTTP/2 on the proxy or inspection device."),
        [ReasonCode.Http2PostStalled] = new(Verdict.Fail, Phase.Http, "An HTTP/2 POST to {target} got no answer in time, though the GET did{detail}",
            "A proxy or inspection device holds requests with a body: exempt this host from inspection or allow HTTP/2 POSTs there."),
        [ReasonCode.WebSocketUpgradeRefused] = new(Verdict.Fail, Phase.Http, "The WebSocket upgrade to {target} was not accepted (no 101){detail}",
            "A proxy or inspection device refuses or strips WebSocket upgrades: allow wss:// (the Upgrade and Connection headers) for this host, or exempt it from inspection."),
        [ReasonCode.WebSocketUpgradeBroken] = new(Verdict.Fail, Phase.Http, "The WebSocket upgrade to {target} did not complete{detail}",
            "Something in the path cuts, holds or rewrites the WebSocket handshake: allow wss:// for this host on the proxy or inspection device, or exempt it from inspection."),

        // Plain HTTP on port 80: when it is blocked, certificate checks stall and deployments time out without naming revocation.
        [ReasonCode.RevocationBlocked] = new(Verdict.Fail, Phase.Proxy, "Certificate revocation server {target} cannot be reached over HTTP{detail}",
            "Allow plain HTTP (port 80) to this CRL/OCSP host on the proxy and firewall: the certificate chains of the endpoints named here are checked against it."),
    };

    /// <summary>All codes with their documented verdict, phase, message template and remedy.</summary>
    public static IReadOnlyDictionary<ReasonCode, ReasonInfo> All => Entries;

    public static ReasonInfo Get(ReasonCode code) => Entries[code];

    /// <summary>
    /// True for the DNS failures of the proxy (phase DNS, but the proxy's resolver, not this machine's): displays call
    /// that phase "DNS (at the proxy)".
    /// </summary>
    public static bool IsDnsAtProxy(ReasonCode code) => code is ReasonCode.ProxyDnsNxDomain or ReasonCode.ProxyDnsRefused or ReasonCode.ProxyDnsFailed;

    /// <summary>The README's reason table (code, verdict, phase, meaning, remedy), generated so the docs cannot drift.</summary>
    public static string ToMarkdownTable()
    {
        var table = new System.Text.StringBuilder("| Reason | Verdict | Phase | Meaning | Remedy |\n| --- | --- | --- | --- | --- |\n");
        foreach (var (code, info) in Entries)
            table.Append("| `").Append(code).Append("` | ").Append(info.Verdict).Append(" | ").Append(info.Phase).Append(" | ")
                .Append(Message(code, "*target*")).Append(" | ").Append(info.Remedy).Append(" |\n");
        return table.ToString();
    }

    /// <summary>Fills the template: <paramref name="detail"/> is appended after a colon when present.</summary>
    public static string Message(ReasonCode code, string target, string? detail = null)
        => Entries[code].MessageTemplate
            .Replace("{target}", target, StringComparison.Ordinal)
            .Replace("{detail}", string.IsNullOrWhiteSpace(detail) ? "" : ": " + detail, StringComparison.Ordinal);
}
