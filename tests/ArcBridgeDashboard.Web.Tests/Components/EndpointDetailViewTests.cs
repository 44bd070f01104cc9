using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Components.Pages.Endpoints;
using ArcBridgeDashboard.Web.Components.Shared;
using ArcBridgeDashboard.Web.Monitoring.Status;
using Bunit;

namespace ArcBridgeDashboard.Web.Tests.Components;

public sealed class EndpointDetailViewTests : DashboardComponentTest
{
    private static readonly DateTimeOffset At = new(2026, 11, 29, 5, 0, 0, TimeSpan.Zero);

    private static EndpointDetailModel Model()
    {
        var failure = new ResultSummary("arc-vm-01", "mcr.microsoft.com:443/tcp", At, Verdict.Fail, Phase.Proxy, ReasonCode.ProxyDenied,
            "The proxy answered 403", "Allow mcr.microsoft.com:443 on the proxy.",
            new Dictionary<string, double> { ["dns"] = 5, ["tcp"] = 2, ["proxy"] = 13 },
            new ProbeDetails { Proxy = new ProxyDetails { Proxy = "http://127.0.0.1:3128", StatusCode = 403, Server = "squid" } });
        return new EndpointDetailModel(13, "mcr.microsoft.com", "MCR", "mcr.microsoft.com", 443, TransportProtocol.Tcp, "Images", null,
            [new TargetOption(14, "mcr.microsoft.com:443/tcp", "mcr.microsoft.com", "as published", false)],
            [new AgentStatus("arc-vm-01", SampleRows.Vm, "mcr.microsoft.com:443/tcp", new StatusCell(DisplayStatus.Fail, Phase.Proxy, ReasonCode.ProxyDenied))],
            failure, failure,
            [new LatencyPoint(At.AddHours(-2), 100, 150), new LatencyPoint(At.AddHours(-1), 120, 300)],
            [new AvailabilityFigure("24 h", 95.5, 288), new AvailabilityFigure("7 d", null, 0), new AvailabilityFigure("1 y", 99.25, 105_120)],
            [new StatusChange(At, DisplayStatus.Pass, DisplayStatus.Fail, "arc-vm-01", Phase.Proxy, ReasonCode.ProxyDenied)]);
    }

    private IRenderedComponent<EndpointDetailView> RenderView(List<(int, int)> loads) =>
        Render<EndpointDetailView>(p => p
            .Add(c => c.Model, Model())
            .Add(c => c.LoadResults, (target, page, size, _) =>
            {
                loads.Add((target, page));
                return Task.FromResult(new RawResultPage(
                    [new RawResultRow(At, "arc-vm-01", Verdict.Fail, Phase.Proxy, ReasonCode.ProxyDenied, 20, "403")], HasMore: true));
            }));

    [Fact]
    public void Render_FailedLatest_WaterfallHighlightsProxyAndRemedyIsShown()
    {
        var cut = RenderView([]);

        Assert.Equal("proxy", cut.Find("[data-testid=waterfall-failing-phase]").GetAttribute("data-phase"));
        Assert.Equal("Allow mcr.microsoft.com:443 on the proxy.", cut.Find("[data-testid=remedy]").TextContent);
        Assert.Contains("Proxy · ProxyDenied", cut.Find("[data-testid=latest-reason]").TextContent);
    }

    [Fact]
    public void Render_Availability_ShowsPercentOrDashWhenNoResultsAndTheYear()
    {
        var cut = RenderView([]);

        Assert.Contains("95.5 %", cut.Find("[data-testid='availability-24 h']").TextContent);
        Assert.Contains("—", cut.Find("[data-testid='availability-7 d']").TextContent);
        var year = cut.Find("[data-testid='availability-1 y']").TextContent;
        Assert.Contains("1 y", year);
        Assert.Contains("99.25 %", year);
    }

    [Fact]
    public async Task RawResults_OlderClicked_LoadsNextPageOfTheLatestTarget()
    {
        var loads = new List<(int, int)>();
        var cut = RenderView(loads);

        cut.WaitForAssertion(() => Assert.Contains((14, 0), loads));
        await cut.Find("[data-testid=raw-results-older]").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Contains((14, 1), loads));
        Assert.Contains("Page 2", cut.Find("[data-testid=raw-results-pager]").TextContent);
    }
}
