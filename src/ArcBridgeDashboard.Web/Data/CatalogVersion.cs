namespace ArcBridgeDashboard.Web.Data;

/// <summary>One imported allowlist. Exactly one version is active; older ones stay so results keep their meaning.</summary>
public sealed class CatalogVersion
{
    public int Id { get; set; }
    /// <summary>Human label, e.g. "2026-11-29 default" or the date in the imported document.</summary>
    public required string Version { get; set; }
    public DateTimeOffset ImportedAt { get; set; }
    /// <summary>Where it came from: "default" (shipped with the app) or "import".</summary>
    public required string Source { get; set; }
    public bool IsActive { get; set; }
    public string RawMarkdown { get; set; } = "";
    public List<MonitoredEndpoint> Endpoints { get; set; } = [];
}
