using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Probes.Http;

namespace ArcBridgeDashboard.Agent.Check.Reports;

public sealed record CheckSummary(int Passed, int Warned, int Failed, int Total, int ExitCode)
{
    public override string ToString() => $"{Passed} passed, {Warned} warned, {Failed} failed of {Total}";
}

/// <summary>This machine's clock against the HTTPS servers' Date headers: the median, over how many servers.</summary>
/// <param name="OffsetMs">Servers' Date minus this clock; positive: this clock is behind.</param>
public sealed record ClockSummary(double OffsetMs, int Servers)
{
    public override string ToString() => Math.Abs(OffsetMs) < 1000
        ? $"Clock: in step with the Date header of {Servers} HTTPS server(s) (within 1 s, the header's resolution)"
        : $"Clock: this machine is {HttpClock.Describe(TimeSpan.FromMilliseconds(Math.Abs(OffsetMs)))} {(OffsetMs > 0 ? "behind" : "ahead of")} "
          + $"the Date header of {Servers} HTTPS server(s) (median); Arc fails at 30 min";
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

    /// <summary>Null when no HTTPS server sent a Date header.</summary>
    public ClockSummary? Clock => HttpClock.Median(Results) is { } m ? new ClockSummary(m.OffsetMs, m.Servers) : null;

    /// <summary>The distinct intercepting roots the chains presented, the most widespread first.</summary>
    public IReadOnlyList<InspectionRootSeen> InspectionRoots => [.. Results
        .Select(r => r.Details.Tls?.InterceptingRoot).OfType<InterceptingRoot>()
        .GroupBy(root => root.Sha256, StringComparer.OrdinalIgnoreCase)
        .Select(g => new InspectionRootSeen(g.First(), g.Count()))
        .OrderByDescending(s => s.Endpoints).ThenBy(s => s.Root.Sha256, StringComparer.Ordinal)];

    /// <summary>Lines for the end of the table and markdown reports: which root to hand over, and to which Arc setting.</summary>
    public IEnumerable<string> InspectionLines()
    {
        foreach (var seen in InspectionRoots)
        {
            yield return $"TLS inspection: {seen.Endpoints} endpoint(s) are re-signed by \"{seen.Root.Subject}\" (SHA-256 {seen.Root.Sha256}).";
            yield return $"  If the inspection stays, this one root certificate goes to {InterceptingRoot.ArcSetting}; write it with --save-inspection-root FILE.";
        }
    }

    public static string Endpoint(ProbeResult r) => $"{r.Host}:{r.Port}/{r.Protocol.ToString().ToLowerInvariant()}";
}

/// <summary>One intercepting root and on how many endpoints it was seen.</summary>
public sealed record InspectionRootSeen(InterceptingRoot Root, int Endpoints);

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
