using ArcBridgeDashboard.Probes.Contracts;

namespace ArcBridgeDashboard.Agent.Check.Reports;

/// <summary>
/// Plain-text columns for a terminal; the verdict is coloured only when stdout is a terminal and NO_COLOR is unset.
/// Everything an endpoint or proxy sent is shown with its control characters escaped (see <see cref="ReportText"/>).
/// </summary>
public sealed class TableReportWriter(bool useColour) : IReportWriter
{
    private const string Reset = "\u001b[0m";

    public async Task WriteAsync(CheckReport report, TextWriter output)
    {
        string[] header = ["VERDICT", "SERVICE", "ENDPOINT", "PHASE", "REASON", "DETAIL"];
        var rows = report.Results.Select(r => new[]
        {
            r.Verdict.ToString().ToUpperInvariant(),
            Truncate(ReportText.Terminal(r.Service), 40),
            ReportText.Terminal(CheckReport.Endpoint(r)),
            r.Phase == Phase.None ? "-" : r.Phase.ToString(),
            r.Reason.ToString(),
            ReportText.Terminal(string.IsNullOrEmpty(r.Remedy) || r.Verdict == Verdict.Pass ? r.Message : $"{r.Message} → {r.Remedy}"),
        }).ToList();
        var widths = Enumerable.Range(0, header.Length - 1)
            .Select(c => rows.Select(row => row[c].Length).Append(header[c].Length).Max())
            .ToArray();

        await output.WriteLineAsync($"Arc resource bridge connectivity check: catalog {report.CatalogVersion}, role {report.Role}, region {report.Region}");
        await output.WriteLineAsync(Format(header, widths, colour: null));
        for (var i = 0; i < rows.Count; i++)
            await output.WriteLineAsync(Format(rows[i], widths, useColour ? Colour(report.Results[i].Verdict) : null));
        await output.WriteLineAsync(report.Summary.ToString());
        if (report.Clock is { } clock)
            await output.WriteLineAsync(ReportText.Terminal(clock.ToString()));
        foreach (var line in report.InspectionLines())
            await output.WriteLineAsync(ReportText.Terminal(line));
    }

    private static string Format(string[] cells, int[] widths, string? colour)
    {
        var parts = cells.Select((cell, c) => c < widths.Length ? cell.PadRight(widths[c]) : cell).ToArray();
        if (colour is not null)
            parts[0] = colour + parts[0] + Reset;
        return string.Join("  ", parts).TrimEnd();
    }

    private static string Colour(Verdict verdict) => verdict switch
    {
        Verdict.Pass => "\u001b[32m",
        Verdict.Warn => "\u001b[33m",
        _ => "\u001b[31m",
    };

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
