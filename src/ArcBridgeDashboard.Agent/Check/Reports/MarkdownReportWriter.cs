using System.Globalization;

namespace ArcBridgeDashboard.Agent.Check.Reports;

/// <summary>A table to paste into a ticket: one row per target; what endpoints and proxies sent is escaped (see <see cref="ReportText"/>).</summary>
public sealed class MarkdownReportWriter : IReportWriter
{
    public async Task WriteAsync(CheckReport report, TextWriter output)
    {
        await output.WriteLineAsync($"### Arc resource bridge connectivity check ({report.Role}, region {report.Region})");
        await output.WriteLineAsync();
        await output.WriteLineAsync($"Catalog {report.CatalogVersion}, started {report.StartedAt.ToString("u", CultureInfo.InvariantCulture)}.");
        await output.WriteLineAsync();
        await output.WriteLineAsync("| Verdict | Service | Endpoint | Phase | Reason | Message | Remedy |");
        await output.WriteLineAsync("|---|---|---|---|---|---|---|");
        foreach (var r in report.Results)
        {
            await output.WriteLineAsync(
                $"| {r.Verdict} | {Cell(r.Service)} | `{ReportText.Terminal(CheckReport.Endpoint(r)).Replace('`', '\'')}` | {r.Phase} | {r.Reason} | {Cell(r.Message)} | {Cell(r.Remedy)} |");
        }
        await output.WriteLineAsync();
        await output.WriteLineAsync($"**{report.Summary}**");
        if (report.Clock is { } clock)
        {
            await output.WriteLineAsync();
            await output.WriteLineAsync(Cell(clock.ToString()));
        }
        foreach (var line in report.InspectionLines())
        {
            await output.WriteLineAsync();
            await output.WriteLineAsync(Cell(line.Trim()));
        }
    }

    private static string Cell(string text) => ReportText.MarkdownCell(text);
}
