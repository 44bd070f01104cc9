using System.Text.Json;
using ArcBridgeDashboard.Probes.Contracts;

namespace ArcBridgeDashboard.Agent.Check.Reports;

/// <summary>
/// { catalogVersion, startedAt, role, region, summary: {passed, warned, failed, total, exitCode}, clock: {offsetMs, servers} or null, results: [ProbeResult] }.
/// Results have the shape of <see cref="ProbeJson.Options"/>: the same shape the agent pushes and the dashboard stores.
/// </summary>
public sealed class JsonReportWriter : IReportWriter
{
    public async Task WriteAsync(CheckReport report, TextWriter output)
    {
        var document = new CheckReportDocument(report.CatalogVersion, report.StartedAt, report.Role, report.Region, report.Summary, report.Clock, report.Results);
        await output.WriteLineAsync(JsonSerializer.Serialize(document, AgentJson.Indented.CheckReportDocument));
    }
}

/// <summary>The `check --format json` document; property order is the output order.</summary>
public sealed record CheckReportDocument(
    string CatalogVersion, DateTimeOffset StartedAt, Sources Role, string Region, CheckSummary Summary, ClockSummary? Clock, IReadOnlyList<ProbeResult> Results);
