using ArcBridgeDashboard.Agent.Check;
using ArcBridgeDashboard.Agent.Check.Reports;
using ArcBridgeDashboard.Probes.Contracts;
using Microsoft.Extensions.Configuration;

namespace ArcBridgeDashboard.Agent.Tests.Check;

public sealed class ReportWriterTests
{
    private static ProbeResult Result(Verdict verdict, ReasonCode reason, string message, string remedy = "") => new()
    {
        EndpointKey = "mcr.microsoft.com:443/tcp",
        TargetKey = "mcr.microsoft.com:443/tcp",
        Service = "Microsoft Container Registry",
        Host = "mcr.microsoft.com",
        Port = 443,
        Protocol = TransportProtocol.Tcp,
        Sources = Sources.ManagementMachine | Sources.ApplianceVm,
        Verdict = verdict,
        Phase = verdict == Verdict.Pass ? Phase.None : Phase.Proxy,
        Reason = reason,
        Message = message,
        Remedy = remedy,
    };

    private static CheckReport Report(params ProbeResult[] results)
        => new("2024-03-19", DateTimeOffset.UnixEpoch, Sources.ManagementMachine, "eastus", results);

    [Fact]
    public async Task WriteAsync_TableWithColour_ColoursVerdictsAndShowsRemedy()
    {
        using var output = new StringWriter();
        var report = Report(Result(Verdict.Pass, ReasonCode.Ok, "HTTP 404 from the service"),
            Result(Verdict.Fail, ReasonCode.ProxyDenied, "proxy answered 403 to CONNECT", "Allow mcr.microsoft.com:443 in the proxy policy"));

        await new TableReportWriter(useColour: true).WriteAsync(report, output);

        var text = output.ToString();
        Assert.Contains("\u001b[32mPASS", text, StringComparison.Ordinal);
        Assert.Contains("\u001b[31mFAIL", text, StringComparison.Ordinal);
        Assert.Contains("proxy answered 403 to CONNECT → Allow mcr.microsoft.com:443 in the proxy policy", text, StringComparison.Ordinal);
        Assert.EndsWith("1 passed, 0 warned, 1 failed of 2", text.TrimEnd(), StringComparison.Ordinal);
        Assert.Equal(1, report.ExitCode);
    }

    [Fact]
    public async Task WriteAsync_ServersSentDates_TableEndsWithMedianClockLineAndJsonCarriesIt()
    {
        static ProbeResult Dated(double offsetMs) => Result(Verdict.Pass, ReasonCode.Ok, "HTTP 401") with
        {
            Details = new ProbeDetails { Http = new HttpDetails { StatusCode = 401, ClockOffsetMs = offsetMs } },
        };
        // One server with a wrong Date does not move the median.
        var report = Report(Dated(-2_460_000), Dated(-2_470_000), Dated(5_000), Result(Verdict.Pass, ReasonCode.Ok, "no Date"));
        using var table = new StringWriter();
        using var json = new StringWriter();

        await new TableReportWriter(useColour: false).WriteAsync(report, table);
        await new JsonReportWriter().WriteAsync(report, json);

        Assert.EndsWith("Clock: this machine is 41 min 0 s ahead of the Date header of 3 HTTPS server(s) (median); Arc fails at 30 min",
            table.ToString().TrimEnd(), StringComparison.Ordinal);
        using var document = System.Text.Json.JsonDocument.Parse(json.ToString());
        Assert.Equal(-2_460_000, document.RootElement.GetProperty("clock").GetProperty("offsetMs").GetDouble());
        Assert.Equal(3, document.RootElement.GetProperty("clock").GetProperty("servers").GetInt32());
    }

    [Fact]
    public async Task WriteAsync_NoServerSentADate_NoClockLine()
    {
        using var output = new StringWriter();

        await new TableReportWriter(useColour: false).WriteAsync(Report(Result(Verdict.Pass, ReasonCode.Ok, "HTTP 404")), output);

        Assert.DoesNotContain("Clock:", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_Markdown_EscapesPipes()
    {
        using var output = new StringWriter();

        await new MarkdownReportWriter().WriteAsync(Report(Result(Verdict.Warn, ReasonCode.NtpSkewHigh, "offset a|b")), output);

        Assert.Contains("| Warn | Microsoft Container Registry | `mcr.microsoft.com:443/tcp` | Proxy | NtpSkewHigh | offset a\\|b |  |", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ExitCode_FailedOptionalTarget_DoesNotFailTheRun()
    {
        var report = Report(Result(Verdict.Fail, ReasonCode.TcpRefused, "refused") with { Required = false }, Result(Verdict.Warn, ReasonCode.NeedsHostname, "needs a hostname"));

        Assert.Equal(0, report.ExitCode);
    }

    [Fact]
    public async Task RunAsync_Help_Exits0AndListsOptions()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = await CheckCommand.RunAsync(["--help"], stdout, stderr, new ConfigurationBuilder().Build());

        Assert.Equal(0, exit);
        Assert.Contains("--wildcard <PATTERN=HOST>", stdout.ToString(), StringComparison.Ordinal);
        Assert.Contains("--catalog <FILE>", stdout.ToString(), StringComparison.Ordinal);
    }
}
