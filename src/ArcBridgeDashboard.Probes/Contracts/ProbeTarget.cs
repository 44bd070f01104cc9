namespace ArcBridgeDashboard.Probes.Contracts;

/// <summary>A concrete thing to probe, expanded from a <see cref="CatalogEndpoint"/>.</summary>
public sealed record ProbeTarget
{
    /// <summary>The <see cref="CatalogEndpoint.Key"/> this target was expanded from.</summary>
    public required string EndpointKey { get; init; }
    public required string Service { get; init; }
    public required string HostPattern { get; init; }
    /// <summary>Concrete host name or IP address; null when a wildcard could not be expanded ("needs a hostname").</summary>
    public string? Host { get; init; }
    public required int Port { get; init; }
    public required TransportProtocol Protocol { get; init; }
    public required ProbeKind Kind { get; init; }
    public required Sources Sources { get; init; }
    public bool Required { get; init; } = true;
    public bool BypassProxy { get; init; }
    /// <summary>Why the host is what it is: "as published", "region eastus", "override", "discovered from redirect".</summary>
    public string? ExpansionNote { get; init; }
    /// <summary>After the GET, send an HTTP/2 POST with a body over the same connection (Arc's data planes need it; see ProtocolNeeds).</summary>
    public bool PostOverHttp2 { get; init; }
    /// <summary>After the GET, do a WebSocket upgrade handshake over the same path (the service bus control channel).</summary>
    public bool WebSocketUpgrade { get; init; }

    /// <summary>Stable identity of the target: "host:port/protocol" (or the pattern when the host is unknown).</summary>
    public string Key => $"{(Host ?? HostPattern).ToLowerInvariant()}:{Port}/{Protocol.ToString().ToLowerInvariant()}";
}
