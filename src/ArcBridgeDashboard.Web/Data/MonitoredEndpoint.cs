using ArcBridgeDashboard.Probes.Contracts;

namespace ArcBridgeDashboard.Web.Data;

/// <summary>
/// One allowlist row of a catalog version (host pattern may hold wildcards). Named MonitoredEndpoint because
/// "Endpoint" collides with ASP.NET Core's routing type in every Razor file.
/// </summary>
public sealed class MonitoredEndpoint
{
    public int Id { get; set; }
    public int CatalogVersionId { get; set; }
    public CatalogVersion? CatalogVersion { get; set; }
    /// <summary><see cref="CatalogEndpoint.Key"/>: stable across catalog versions.</summary>
    public required string Key { get; set; }
    public required string Service { get; set; }
    public int Port { get; set; }
    public TransportProtocol Protocol { get; set; }
    public required string HostPattern { get; set; }
    public Sources Sources { get; set; }
    public string Purpose { get; set; } = "";
    public EndpointOrigin Origin { get; set; }
    public string? Note { get; set; }
    public bool BypassProxy { get; set; }
    /// <summary>Per-endpoint probe interval; null uses the global interval.</summary>
    public int? IntervalSeconds { get; set; }
    public List<Target> Targets { get; set; } = [];

    public CatalogEndpoint ToContract() => new()
    {
        Service = Service, Port = Port, Protocol = Protocol, HostPattern = HostPattern, Sources = Sources,
        Purpose = Purpose, Origin = Origin, Note = Note, BypassProxy = BypassProxy,
    };
}
