using System.Globalization;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Components.Shared;
using Bunit;

namespace ArcBridgeDashboard.Web.Tests.Components;

public sealed class PhaseWaterfallTests : DashboardComponentTest
{
    private static readonly Dictionary<string, double> Timings = new()
    {
        ["dns"] = 10, ["tcp"] = 30, ["proxy"] = 20, ["tls"] = 40, ["total"] = 100,
    };

    private static double WidthOf(IRenderedComponent<PhaseWaterfall> cut, string phase)
    {
        var style = cut.Find($"[data-testid=waterfall-bar-{phase}]").GetAttribute("style")!;
        var width = style.Split(';').Single(s => s.StartsWith("width:", StringComparison.Ordinal));
        return double.Parse(width["width:".Length..].TrimEnd('%'), CultureInfo.InvariantCulture);
    }

    [Fact]
    public void Render_FailedInTls_HighlightsTlsOnly()
    {
        var cut = Render<PhaseWaterfall>(p => p
            .Add(c => c.TimingsMs, Timings).Add(c => c.FailingPhase, Phase.Tls).Add(c => c.Failed, true));

        var failing = cut.Find("[data-testid=waterfall-failing-phase]");
        Assert.Equal("tls", failing.GetAttribute("data-phase"));
        Assert.Single(cut.FindAll(".waterfall-row.failing"));
        Assert.Contains("mud-theme-error", cut.Find("[data-testid=waterfall-bar-tls]").ClassList);
    }

    [Fact]
    public void Render_Timings_WidthsAreProportionalToTotal()
    {
        var cut = Render<PhaseWaterfall>(p => p.Add(c => c.TimingsMs, Timings));

        Assert.Equal(10, WidthOf(cut, "dns"));
        Assert.Equal(30, WidthOf(cut, "tcp"));
        Assert.Equal(20, WidthOf(cut, "proxy"));
        Assert.Equal(40, WidthOf(cut, "tls"));
        Assert.Empty(cut.FindAll("[data-testid=waterfall-failing-phase]"));
    }

    [Fact]
    public void Render_DnsAtTheProxy_MarksTheProxyBarAndNamesIt()
    {
        // Our own DNS bar (the proxy's name) passed; the proxy's resolver failed during CONNECT.
        var cut = Render<PhaseWaterfall>(p => p
            .Add(c => c.TimingsMs, new Dictionary<string, double> { ["dns"] = 2, ["tcp"] = 1, ["proxy"] = 9, ["total"] = 12 })
            .Add(c => c.FailingPhase, Phase.Dns).Add(c => c.Reason, ReasonCode.ProxyDnsNxDomain).Add(c => c.Failed, true));

        var failing = cut.Find("[data-testid=waterfall-failing-phase]");
        Assert.Equal("proxy", failing.GetAttribute("data-phase"));
        Assert.Contains("DNS (at the proxy)", failing.TextContent);
        Assert.Single(cut.FindAll(".waterfall-row.failing"));
        Assert.DoesNotContain("mud-theme-error", cut.Find("[data-testid=waterfall-bar-dns]").ClassList);
    }

    [Fact]
    public void PhaseLabel_DnsReasons_SayWhoseDnsFailed()
    {
        Assert.Equal("DNS (at the proxy)", Phase.Dns.DisplayName(ReasonCode.ProxyDnsRefused));
        Assert.Equal("DNS", Phase.Dns.DisplayName(ReasonCode.DnsRefused));
        Assert.Equal("DNS", Phase.Dns.DisplayName());
    }

    [Fact]
    public void Render_FailingPhaseWithoutTiming_StillShowsIt()
    {
        var cut = Render<PhaseWaterfall>(p => p
            .Add(c => c.TimingsMs, new Dictionary<string, double> { ["dns"] = 5 })
            .Add(c => c.FailingPhase, Phase.Tcp).Add(c => c.Failed, true));

        Assert.Equal("tcp", cut.Find("[data-testid=waterfall-failing-phase]").GetAttribute("data-phase"));
    }

    [Fact]
    public void Render_PassedProbe_NothingIsHighlighted()
    {
        var cut = Render<PhaseWaterfall>(p => p
            .Add(c => c.TimingsMs, Timings).Add(c => c.FailingPhase, Phase.None).Add(c => c.Failed, false));

        Assert.Empty(cut.FindAll(".waterfall-row.failing"));
        Assert.Equal(4, cut.FindAll(".waterfall-row").Count);
    }

    [Fact]
    public void Render_MeasuredTotalLongerThanPhases_ShowsMeasuredTotal()
    {
        // The raw results table shows timingsMs["total"]; the waterfall must show the same figure, not the sum of bars.
        var timings = new Dictionary<string, double> { ["dns"] = 1.2, ["tcp"] = 3.7, ["total"] = 19.4 };

        var cut = Render<PhaseWaterfall>(p => p.Add(c => c.TimingsMs, timings));

        Assert.Equal("Total 19.4 ms", cut.Find("[data-testid=waterfall-total]").TextContent.Trim());
        Assert.True(WidthOf(cut, "dns") + WidthOf(cut, "tcp") < 100);
    }

    [Fact]
    public void Render_NoMeasuredTotal_ShowsSumOfPhases()
    {
        var cut = Render<PhaseWaterfall>(p => p.Add(c => c.TimingsMs, new Dictionary<string, double> { ["dns"] = 2, ["tcp"] = 3 }));

        Assert.Equal("Total 5 ms", cut.Find("[data-testid=waterfall-total]").TextContent.Trim());
    }
}
