using ArcBridgeDashboard.Probes.Contracts;

namespace ArcBridgeDashboard.Agent.Check.Reports;

public sealed record CheckSummary(int Passed, int Warned, int Failed, int Total, int ExitCode)
{
    public override string ToString() => $"{Passed} passed, {Warned} warned, {Failed} failed of {Total}";
}

/// <summary>What a check found, in catalog order. Warn counts as pass; only a failed required target fails the run.</summary>
public sealed record CheckReport(string CatalogVersion, DateTimeOffset StartedAt, Sources Role, string Region, IReadOnlyList<ProbeResult> Results)
{
    public CheckSummary Summary
    {
        get
        {
            var failedRequired = Results.Any(r => r.Required && r.Verdict == Verdict.Fail);
            return new CheckSummary(
                Results.Count(r => r.Verdict == Verdict.Pass),
                Results.Count(r => r.Verdict == Verdict.Warn),
                Results.Count(r => r.Verdict == Verdict.Fail),
                Results.Count,
                failedRequired ? CheckRun.SomeFailed : CheckRun.AllPassed);
        }
    }

    public int ExitCode => Summary.ExitCode;

    public static string Endpoint(ProbeResult r) => $"{r.Host}:{r.Port}/{r.Protocol.ToString().ToLowerInvariant()}";
}

public interface IReportWriter
{
    Task WriteAsync(CheckReport report, TextWriter output);
}

public static class ReportWriters
{
    public static IReportWriter For(ReportFormat format, bool useColour) => format switch
    {
        ReportFormat.Json => new JsonReportWriter(),
        ReportFormat.Markdown => new MarkdownReportWriter(),
        _ => new TableReportWriter(useColour),
    };
}
