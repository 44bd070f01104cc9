using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Monitoring.Status;

namespace ArcBridgeDashboard.Web.Reports;

/// <summary>What a report concludes, for the whole deployment and for each endpoint × source role.</summary>
public enum ReportVerdict
{
    Ready,
    NotReady,
    Incomplete,
}

/// <summary>
/// A readiness report as it was generated: everything the pages and exports show, so a snapshot stored as JSON reads
/// back the same later, whatever happened to settings, agents and results since.
/// </summary>
public sealed record ReadinessReport
{
    public required DateTimeOffset GeneratedAt { get; init; }
    public required string Author { get; init; }
    public required ReportHeader Header { get; init; }
    public required ReportVerdict Verdict { get; init; }
    public required ReportCounts Counts { get; init; }
    /// <summary>What stands between this report and Ready, one sentence each, worst first.</summary>
    public IReadOnlyList<string> Blockers { get; init; } = [];
    public IReadOnlyList<ReportRow> Rows { get; init; } = [];
}

/// <summary>The context every printed or exported page repeats. The proxy never carries credentials.</summary>
public sealed record ReportHeader(
    string CatalogVersion, string Cloud, string Region, string Proxy, IReadOnlyList<ReportAgent> Agents)
{
    public string AgentsText => Agents.Count == 0 ? "none" : string.Join(", ", Agents.Select(a => $"{a.Name} ({a.Role}, {a.State})"));
}

public sealed record ReportAgent(string Name, string Role, string State);

public sealed record ReportCounts(int Ready, int NotReady, int Incomplete)
{
    public int Total => Ready + NotReady + Incomplete;
}

/// <summary>One required endpoint × source role.</summary>
/// <param name="Key">Target key and role: what compares one snapshot's row with another's.</param>
/// <param name="Status">The overview's status of this cell (the same rules decide both).</param>
/// <param name="Remedy">What to change, in the words of <see cref="ReportRemedies"/>.</param>
public sealed record ReportRow(
    string Key, int EndpointId, string Service, string Host, string HostPattern, int Port, TransportProtocol Protocol,
    Sources Role, ReportVerdict Verdict, DisplayStatus Status, ReasonCode? Reason, string Finding, string Remedy,
    IReadOnlyList<ReportEvidence> Evidence)
{
    public string Endpoint => $"{Host}:{Port}/{Protocol.ToString().ToLowerInvariant()}";
}

/// <summary>One agent's latest result behind a row.</summary>
/// <param name="TimingsMs">Phase timings as the probe measured them (dns, tcp, proxy, tls, http, total).</param>
public sealed record ReportEvidence(
    string Agent, DateTimeOffset CheckedAt, Verdict Verdict, Phase Phase, ReasonCode Reason, string Message, bool Stale,
    IReadOnlyDictionary<string, double> TimingsMs)
{
    /// <summary>"dns 1.2 · tcp 0.8 · total 5.4 ms": phases in the order they happen.</summary>
    public string TimingsText
    {
        get
        {
            var order = new[] { "dns", "tcp", "proxy", "tls", "http", "ntp", "total" };
            var parts = TimingsMs.OrderBy(t => Array.IndexOf(order, t.Key) is var i && i < 0 ? order.Length : i)
                .Select(t => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{t.Key} {t.Value:0.#}"));
            var text = string.Join(" · ", parts);
            return text.Length == 0 ? "—" : text + " ms";
        }
    }
}
