using ArcBridgeDashboard.Probes.Catalog;
using ArcBridgeDashboard.Probes.Contracts;

namespace ArcBridgeDashboard.Web.Data;

/// <summary>
/// A concrete host:port/protocol expanded from an endpoint. Re-expansion (region or override change) retires the
/// old rows instead of deleting them, so the history of a retired target stays readable.
/// </summary>
public sealed class Target
{
    public int Id { get; set; }
    public int EndpointId { get; set; }
    public MonitoredEndpoint? Endpoint { get; set; }
    /// <summary><see cref="ProbeTarget.Key"/>.</summary>
    public required string Key { get; set; }
    /// <summary>Null: the wildcard could not be expanded and the target needs a hostname.</summary>
    public string? Host { get; set; }
    public int Port { get; set; }
    public TransportProtocol Protocol { get; set; }
    public ProbeKind Kind { get; set; }
    public Sources Sources { get; set; }
    public bool Required { get; set; } = true;
    public bool BypassProxy { get; set; }
    public string? ExpansionNote { get; set; }
    /// <summary>Set when a re-expansion replaced this target; active targets have null.</summary>
    public DateTimeOffset? RetiredAt { get; set; }

    public bool NeedsHostname => Host is null;

    public ProbeTarget ToContract(MonitoredEndpoint endpoint) => new()
    {
        EndpointKey = endpoint.Key, Service = endpoint.Service, HostPattern = endpoint.HostPattern, Host = Host,
        Port = Port, Protocol = Protocol, Kind = Kind, Sources = Sources, Required = Required,
        BypassProxy = BypassProxy, ExpansionNote = ExpansionNote,
        // Derived, not stored: the marking lives in one place (ProtocolNeeds) and follows the code, not the database.
        PostOverHttp2 = ProtocolNeeds.Http2Post(endpoint.HostPattern, Host),
        WebSocketUpgrade = ProtocolNeeds.WebSocket(endpoint.HostPattern, Host),
    };
}
