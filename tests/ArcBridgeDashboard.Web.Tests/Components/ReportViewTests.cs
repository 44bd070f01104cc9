using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Components.Pages.Reports;
using ArcBridgeDashboard.Web.Monitoring.Status;
using ArcBridgeDashboard.Web.Reports;
using Bunit;

namespace ArcBridgeDashboard.Web.Tests.Components;

public sealed class ReportViewTests : DashboardComponentTest
{
    private static readonly DateTimeOffset At = new(2026, 12, 6, 17, 40, 0, TimeSpan.Zero);

    private static ReportRow Row(string host, Sources role, ReportVerdict verdict, ReasonCode? reason = null, string remedy = "Nothing to do.") =>
        new($"{host}:443/tcp|{role}", 7, "Arc data plane", host, host, 443, TransportProtocol.Tcp, role, verdict,
            verdict == ReportVerdict.NotReady ? DisplayStatus.Fail : DisplayStatus.Pass, reason, "finding", remedy,
            [new ReportEvidence("mgmt-lab", At, Verdict.Fail, Phase.Proxy, ReasonCode.ProxyDenied, "denied", false,
                new Dictionary<string, double> { ["dns"] = 1.5, ["total"] = 9 })]);

    private static ReadinessReport Report(ReportVerdict verdict, params ReportRow[] rows) => new()
    {
        GeneratedAt = At, Author = "alice", Verdict = verdict,
        Header = new ReportHeader("2026-08-25", "Azure Cloud", "westeurope", "http://proxy.corp:3128", [new ReportAgent("mgmt-lab", "Management machine", "online")]),
        Counts = new ReportCounts(rows.Count(r => r.Verdict == ReportVerdict.Ready), rows.Count(r => r.Verdict == ReportVerdict.NotReady), rows.Count(r => r.Verdict == ReportVerdict.Incomplete)),
        Blockers = verdict == ReportVerdict.NotReady ? ["Arc data plane — a.example:443/tcp from Management machine: ProxyDenied. Allow `a.example` on the proxy (port 443)."] : [],
        Rows = rows,
    };

    [Fact]
    public void ReportView_NotReady_SummaryFirstThenEvidenceRowsAndExports()
    {
        var report = Report(ReportVerdict.NotReady,
            Row("a.example", Sources.ManagementMachine, ReportVerdict.NotReady, ReasonCode.ProxyDenied, "Allow `a.example` on the proxy (port 443)."),
            Row("a.example", Sources.ApplianceVm, ReportVerdict.Ready));

        var cut = Render<ReportView>(p => p.Add(v => v.Id, 12).Add(v => v.Report, report).Add(v => v.PreviousId, 11));

        Assert.Equal("Not ready", cut.Find("[data-testid=report-verdict]").TextContent.Trim());
        Assert.Contains("1 ready · 1 not ready · 0 incomplete", cut.Find("[data-testid=report-counts]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Allow `a.example` on the proxy", cut.Find("[data-testid=report-blockers]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Catalog version", cut.Find("[data-testid=report-header]").TextContent, StringComparison.Ordinal);
        Assert.Equal("http://proxy.corp:3128", cut.Find("[data-testid=report-proxy]").TextContent);
        Assert.Contains("mgmt-lab, 2026-12-06 17:40 UTC, Proxy: dns 1.5 · total 9 ms", cut.FindAll("[data-testid=report-evidence]")[0].TextContent, StringComparison.Ordinal);
        Assert.Equal("/reports/12/download/pdf", cut.Find("[data-testid=download-pdf]").GetAttribute("href"));
        Assert.Equal("reports/compare?a=11&b=12", cut.Find("[data-testid=compare-previous]").GetAttribute("href"));
        // The summary comes before the table.
        Assert.True(cut.Markup.IndexOf("report-summary", StringComparison.Ordinal) < cut.Markup.IndexOf("report-table", StringComparison.Ordinal));
    }

    [Fact]
    public void ReportView_Print_HasNoButtonsOrLinks()
    {
        var cut = Render<ReportView>(p => p.Add(v => v.Id, 3).Add(v => v.Report, Report(ReportVerdict.Ready, Row("a.example", Sources.ManagementMachine, ReportVerdict.Ready)))
            .Add(v => v.Print, true));

        Assert.Empty(cut.FindAll("button, a.mud-button-root, [data-testid=report-exports]"));
        Assert.Empty(cut.FindAll("a[href^='endpoints/']"));
        Assert.Equal("Ready", cut.Find("[data-testid=report-verdict]").TextContent.Trim());
        Assert.Contains("Nothing blocks readiness.", cut.Find("[data-testid=report-blockers]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReportListView_EmptyThenGenerate_SaysSoAndCallsBack()
    {
        var clicked = 0;
        var cut = Render<ReportListView>(p => p.Add(v => v.Items, []).Add(v => v.OnGenerate, () => clicked++));

        Assert.Contains("No report yet", cut.Find("[data-testid=reports-empty]").TextContent, StringComparison.Ordinal);
        await cut.Find("[data-testid=generate-report]").ClickAsync(new());
        Assert.Equal(1, clicked);
    }

    [Fact]
    public void ReportListView_TwoReports_ListsNewestFirstAndPreselectsTheComparison()
    {
        var cut = Render<ReportListView>(p => p.Add(v => v.Items,
        [
            new ReportListItem(2, At, "scheduler", "2026-08-25", ReportVerdict.Ready, 5, 5),
            new ReportListItem(1, At.AddDays(-7), "alice", "2026-08-25", ReportVerdict.NotReady, 3, 5),
        ]));

        Assert.Equal("reports/compare?a=1&b=2", cut.Find("[data-testid=compare-go]").GetAttribute("href"));
        Assert.Equal("Not ready", cut.Find("[data-testid=report-1]").ParentElement!.ParentElement!.QuerySelector("[data-verdict]")!.TextContent.Trim());
    }

    [Fact]
    public void ReportCompareView_ThreeLists_NameTheRowsUnderTheirHeading()
    {
        var before = new StoredReport(1, Report(ReportVerdict.NotReady, Row("a.example", Sources.ManagementMachine, ReportVerdict.NotReady, ReasonCode.ProxyDenied),
            Row("b.example", Sources.ManagementMachine, ReportVerdict.Ready)) with
        { GeneratedAt = At.AddDays(-1) });
        var after = new StoredReport(2, Report(ReportVerdict.NotReady, Row("a.example", Sources.ManagementMachine, ReportVerdict.Ready),
            Row("b.example", Sources.ManagementMachine, ReportVerdict.NotReady, ReasonCode.ProxyAuthRequired)));

        var cut = Render<ReportCompareView>(p => p.Add(v => v.Comparison, ReportComparer.Compare(before, after)));

        Assert.Contains("ProxyAuthRequired", cut.Find("[data-testid='newly-failing-b.example:443/tcp|ManagementMachine']").TextContent, StringComparison.Ordinal);
        Assert.Contains("ProxyDenied", cut.Find("[data-testid='newly-passing-a.example:443/tcp|ManagementMachine']").TextContent, StringComparison.Ordinal);
        Assert.Equal("None.", cut.Find("[data-testid=unchanged-failing-empty]").TextContent);
    }
}
