namespace ArcBridgeDashboard.Web.Data;

/// <summary>
/// One generated readiness report, stored whole (<see cref="Reports.ReadinessReport"/> as JSON) and never changed:
/// what a manager forwarded on Monday still reads the same after the proxy changed on Tuesday.
/// </summary>
public sealed class ReportSnapshot
{
    public long Id { get; set; }
    public DateTimeOffset GeneratedAt { get; set; }
    /// <summary>"scheduler", the signed-in user's name, or "dashboard" when nobody is signed in.</summary>
    public required string Author { get; set; }
    public required string CatalogVersion { get; set; }
    /// <summary>The overall verdict, kept beside the body so the list needs no JSON.</summary>
    public required string Verdict { get; set; }
    public int ReadyCount { get; set; }
    public int TotalCount { get; set; }
    public required string BodyJson { get; set; }
}
