namespace ArcBridgeDashboard.Probes.Contracts;

/// <summary>One row of the allowlist (or one extra requirement), as imported. Host patterns may hold wildcards.</summary>
public sealed record CatalogEndpoint
{
    /// <summary>Stable identity across catalog versions: "host-pattern:port/protocol", lower case.</summary>
    public string Key => $"{HostPattern.ToLowerInvariant()}:{Port}/{Protocol.ToString().ToLowerInvariant()}";

    /// <summary>Identity across catalog versions: the same host:port/proto in another cloud is another endpoint.</summary>
    public string Identity => $"{Cloud}/{Key}";

    public Cloud Cloud { get; init; } = Cloud.AzureCloud;
    public required string Service { get; init; }
    public required int Port { get; init; }
    public required TransportProtocol Protocol { get; init; }
    public required string HostPattern { get; init; }
    public required Sources Sources { get; init; }
    public string Purpose { get; init; } = "";
    public EndpointOrigin Origin { get; init; } = EndpointOrigin.Allowlist;
    /// <summary>For extra requirements: the sentence of the doc that states it.</summary>
    public string? Note { get; init; }
    /// <summary>True when the path must not go through the proxy (management machine to appliance VM).</summary>
    public bool BypassProxy { get; init; }

    public bool IsWildcard => HostPattern.Contains('*');
}
