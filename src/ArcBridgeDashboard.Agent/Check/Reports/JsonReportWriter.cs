using System.Text.Json;
using ArcBridgeDashboard.Probes.Contracts;

namespace ArcBridgeDashboard.Agent.Check.Reports;

/// <summary>
/// { catalogVersion, startedAt, role, region, summary: {passed, warned, failed, total, exitCode}, results: [ProbeResult] }.
/// Results use <see cref="ProbeJson.Options"/>: the same shape the agent pushes and the dashboard stores.
/// </summary>
public sealed class JsonReportWriter : IReportWriter
{
    private static readonly JsonSerializerOptions Options = new(ProbeJson.Options) { WriteIndented = true };

    public async Task WriteAsync(CheckReport report, TextWriter output)
    {
        var document = new
        {
            catalogVersion = report.CatalogVersion,
            startedAt = report.StartedAt,
            role = report.Role,
            region = report.Region,
            summary = report.Summary,
            results = report.Results,
        };
        await output.WriteLineAsync(JsonSerializer.Serialize(document, Options));
    }
}
