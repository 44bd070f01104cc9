using ArcBridgeDashboard.Probes.Contracts;

namespace ArcBridgeDashboard.Web.Data;

/// <summary>
/// One endpoint of the allowlist (host pattern may hold wildcards). Its identity is <see cref="Cloud"/> plus
/// <see cref="Key"/>, and the row outlives catalog versions: accepting a new version moves the rows it still lists
/// onto it (ids, targets, history and intervals kept) and leaves the others on their last version, retired.
/// Named MonitoredEndpoint because "Endpoint" collides with ASP.NET Core's routing type in every Razor file.
/// </summary>
public sealed class MonitoredEndpoint
{
    public int Id { get; set; }
    /// <summary>The newest catalog version that lists this endpoint; when that version is not active, the endpoint is retired.</summary>
    public int CatalogVersionId { get; set; }
    public CatalogVersion? CatalogVersion { get; set; }
    public Cloud Cloud { get; set; }
    /// <summary><see cref="CatalogEndpoint.Key"/>: with <see cref="Cloud"/>, stable across catalog versions.</summary>
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

    public string Identity => $"{Cloud}/{Key}";

    public CatalogEndpoint ToContract() => new()
    {
        Cloud = Cloud,
        Service = Service, Port = Port, Protocol = Protocol, HostPattern = HostPattern, Sources = Sources,
        Purpose = Purpose, Origin = Origin, Note = Note, BypassProxy = BypassProxy,
    };
}
