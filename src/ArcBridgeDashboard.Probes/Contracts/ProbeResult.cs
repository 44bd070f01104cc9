namespace ArcBridgeDashboard.Probes.Contracts;

/// <summary>
/// The outcome of one probe of one target. Serialised as-is in the `check --format json` output,
/// in the agent's push payload and in the dashboard's database, so renames are breaking changes.
/// </summary>
public sealed record ProbeResult
{
    /// <summary>Unique id, created where the probe ran: ingest is idempotent on it.</summary>
    public Guid Id { get; init; } = Guid.NewGuid();
    public required string EndpointKey { get; init; }
    public required string TargetKey { get; init; }
    public required string Service { get; init; }
    public required string Host { get; init; }
    public required int Port { get; init; }
    public required TransportProtocol Protocol { get; init; }
    public required Sources Sources { get; init; }
    public bool Required { get; init; } = true;
    public required Verdict Verdict { get; init; }
    public required Phase Phase { get; init; }
    public required ReasonCode Reason { get; init; }
    /// <summary>One line: what happened.</summary>
    public required string Message { get; init; }
    /// <summary>One line: what the operator should change.</summary>
    public string Remedy { get; init; } = "";
    public DateTimeOffset StartedAt { get; init; }
    /// <summary>Milliseconds per phase ("dns", "tcp", "proxy", "tls", "http", "ntp") plus "total".</summary>
    public IReadOnlyDictionary<string, double> TimingsMs { get; init; } = new Dictionary<string, double>();
    public ProbeDetails Details { get; init; } = new();
    /// <summary>The sweep (one pass of one agent over its due targets) this result belongs to; null from `check` and older agents.</summary>
    public SweepPass? Pass { get; init; }
}

/// <summary>
/// Carried by every result of one pass, so the dashboard files the pass as a sweep whichever agent ran it and however
/// the results were batched, delayed or repeated on the way. The pass's last result says so: the sweep is then complete.
/// </summary>
public sealed record SweepPass
{
    public required Guid Id { get; init; }
    /// <summary>"manual" for check now; "schedule" otherwise.</summary>
    public required string Trigger { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    /// <summary>Targets the pass set out to probe (revocation servers named by chains come on top).</summary>
    public int TargetCount { get; init; }
    public bool Last { get; init; }

    public const string Manual = "manual";
    public const string Schedule = "schedule";
}

/// <summary>Evidence gathered along the way; each part is null when the phase did not run.</summary>
public sealed record ProbeDetails
{
    public DnsDetails? Dns { get; init; }
    /// <summary>The address the TCP connection went to (target or proxy).</summary>
    public string? ConnectedAddress { get; init; }
    public ProxyDetails? Proxy { get; init; }
    /// <summary>Arc gateway mode only: the leg to the gateway, for targets the gateway covers.</summary>
    public GatewayDetails? Gateway { get; init; }
    public TlsDetails? Tls { get; init; }
    public HttpDetails? Http { get; init; }
    public NtpDetails? Ntp { get; init; }
    public RevocationDetails? Revocation { get; init; }
}

public sealed record DnsDetails
{
    /// <summary>The server that answered ("system" when the OS resolver was used).</summary>
    public string Server { get; init; } = "system";
    public string? ResponseCode { get; init; }
    public IReadOnlyList<string> Addresses { get; init; } = [];
    public IReadOnlyList<string> CnameChain { get; init; } = [];
}

public sealed record ProxyDetails
{
    public required string Proxy { get; init; }
    /// <summary>True when the target matched the no-proxy list and went direct.</summary>
    public bool Bypassed { get; init; }
    public int? StatusCode { get; init; }
    public string? StatusLine { get; init; }
    public string? Server { get; init; }
    public string? Via { get; init; }
    /// <summary>The proxy's own error code header as sent, e.g. "X-Squid-Error: ERR_CANNOT_FORWARD 0" (printable text, bounded).</summary>
    public string? ErrorHeader { get; init; }
    /// <summary>The first lines of the text of the proxy's error page (tags and styles removed, printable, bounded).</summary>
    public string? BodyExcerpt { get; init; }
    /// <summary>When the proxy could not resolve or reach a name: what the configured DNS servers answer for it.</summary>
    public DnsDetails? DnsCheck { get; init; }
}

/// <summary>The TLS session with the Arc gateway itself, and its answer to the CONNECT sent inside it.</summary>
public sealed record GatewayDetails
{
    public required string Gateway { get; init; }
    public TlsDetails? Tls { get; init; }
    public int? StatusCode { get; init; }
    public string? StatusLine { get; init; }
}

public sealed record TlsDetails
{
    public string? Protocol { get; init; }
    public string? Cipher { get; init; }
    public string? Alpn { get; init; }
    public IReadOnlyList<CertificateSummary> Chain { get; init; } = [];
    /// <summary>True when the chain ends in a root that is not among the expected public roots.</summary>
    public bool Inspected { get; init; }
    public string? InterceptingIssuer { get; init; }
    /// <summary>
    /// The self-signed root that re-signed the chain, when the path presented it: the one certificate to hand to Arc as
    /// its proxy certificate. Only this root is kept, never the rest of the chain. Null when not inspected or not presented.
    /// </summary>
    public InterceptingRoot? InterceptingRoot { get; init; }
    public string? ValidationErrors { get; init; }
}

/// <summary>The inspecting device's root certificate, carried whole so a stored result can hand it over as one PEM file.</summary>
public sealed record InterceptingRoot
{
    /// <summary>Where Arc resource bridge takes this certificate: the proxy certificate file of the appliance configuration.</summary>
    public const string ArcSetting =
        "the Arc resource bridge proxy certificate: --proxy-cert of az arcappliance createconfig (certificateFilePath in the proxy section of the appliance configuration)";

    public required string Subject { get; init; }
    public required string Sha256 { get; init; }
    /// <summary>Exactly one PEM CERTIFICATE block.</summary>
    public required string Pem { get; init; }
}

public sealed record CertificateSummary
{
    public required string Subject { get; init; }
    public required string Issuer { get; init; }
    public DateTimeOffset NotBefore { get; init; }
    public DateTimeOffset NotAfter { get; init; }
    public required string Sha256 { get; init; }
    /// <summary>CRL distribution points (X509 extension 2.5.29.31), http URLs only.</summary>
    public IReadOnlyList<string> CrlUrls { get; init; } = [];
    /// <summary>OCSP responders from Authority Information Access (1.3.6.1.5.5.7.1.1), http URLs only.</summary>
    public IReadOnlyList<string> OcspUrls { get; init; } = [];
}

/// <summary>A revocation (CRL or OCSP) fetch: what was asked, who answered, and whose chains name this server.</summary>
public sealed record RevocationDetails
{
    public required string Url { get; init; }
    /// <summary>The HTTP status of the answer (the revocation server's, or the proxy's own refusal).</summary>
    public int? StatusCode { get; init; }
    public string? StatusLine { get; init; }
    /// <summary>"host:port" of the endpoints probed in this sweep whose certificate chains name this server.</summary>
    public IReadOnlyList<string> NeededBy { get; init; } = [];
    /// <summary>True when the URL comes only from the documented default list, not from a chain seen in this sweep.</summary>
    public bool FromDefaultList { get; init; }
}

public sealed record HttpDetails
{
    public int? StatusCode { get; init; }
    public string? Server { get; init; }
    public string? Version { get; init; }
    public bool Http2Offered { get; init; }
    public string? Http2Error { get; init; }
    /// <summary>The server's Date header (whole seconds), when it sent one.</summary>
    public DateTimeOffset? ServerDate { get; init; }
    /// <summary>Server Date minus this machine's clock at the middle of the request, in ms; positive: this clock is behind.</summary>
    public double? ClockOffsetMs { get; init; }
    /// <summary>The status the HTTP/2 POST (4 KB body, sent after the GET on the same connection) got; null when it got none or was not sent.</summary>
    public int? Http2PostStatus { get; init; }
    /// <summary>What went wrong with the HTTP/2 POST (GOAWAY, RST_STREAM, reset, no answer); null when it was answered or not sent.</summary>
    public string? Http2PostError { get; init; }
    /// <summary>The status line's code of the WebSocket upgrade (101 when it was accepted); null when none came or it was not tried.</summary>
    public int? WebSocketStatus { get; init; }
    /// <summary>Why the WebSocket upgrade failed (no 101, Upgrade header missing, wrong Sec-WebSocket-Accept, no answer); null when it worked or was not tried.</summary>
    public string? WebSocketError { get; init; }
}

public sealed record NtpDetails
{
    public string? Server { get; init; }
    public double OffsetMs { get; init; }
    public double RoundTripMs { get; init; }
    public int Stratum { get; init; }
}
