namespace ArcBridgeDashboard.Probes.Catalog;

/// <summary>
/// Which endpoints Arc talks to with more than a GET, in one place: the allowlist's table has no column for it (only
/// the service bus row says "Outbound WebSocket (wss://) connections must be allowed" in its direction text, which
/// the importer reads for the sources). Matched on the catalog's host pattern and on the concrete host, so a
/// --wildcard override or a region-expanded host keeps the marking.
/// </summary>
public static class ProtocolNeeds
{
    // Regional data planes: Arc posts to them over HTTP/2, and Microsoft's own confirmation that a proxy lets Arc
    // through is an HTTP/2 POST to <region>.dp.kubernetesconfiguration.azure.com.
    private static readonly string[] Http2PostSuffixes =
    [
        ".dp.prod.appliances.azure.com",
        ".dp.prod.appliances.azure.us",
        ".dp.kubernetesconfiguration.azure.com",
        ".dp.kubernetesconfiguration.azure.us",
    ];

    // The secure control channel (Azure Relay) is a wss:// connection.
    private static readonly string[] WebSocketSuffixes =
    [
        ".servicebus.windows.net",
        ".servicebus.usgovcloudapi.net",
    ];

    public static bool Http2Post(string hostPattern, string? host) => Matches(Http2PostSuffixes, hostPattern, host);

    public static bool WebSocket(string hostPattern, string? host) => Matches(WebSocketSuffixes, hostPattern, host);

    private static bool Matches(string[] suffixes, string hostPattern, string? host)
        => suffixes.Any(s => EndsWith(hostPattern, s) || (host is not null && EndsWith(host, s)));

    private static bool EndsWith(string name, string suffix)
        => name.TrimEnd('.').EndsWith(suffix, StringComparison.OrdinalIgnoreCase);
}
