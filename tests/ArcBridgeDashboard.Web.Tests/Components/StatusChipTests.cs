using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Components.Shared;
using ArcBridgeDashboard.Web.Monitoring.Status;
using Bunit;

namespace ArcBridgeDashboard.Web.Tests.Components;

public sealed class StatusChipTests : DashboardComponentTest
{
    [Theory]
    [InlineData(DisplayStatus.Pass, "Pass", "success")]
    [InlineData(DisplayStatus.Warn, "Warn", "warning")]
    [InlineData(DisplayStatus.Fail, "Fail", "error")]
    [InlineData(DisplayStatus.Stale, "Stale", "secondary")]
    [InlineData(DisplayStatus.NoData, "No data", "default")]
    [InlineData(DisplayStatus.NeedsHostname, "Needs hostname", "info")]
    [InlineData(DisplayStatus.Gap, "Gap", "dark")]
    public void Render_EachStatus_ShowsItsTextAndColour(DisplayStatus status, string text, string colour)
    {
        var cut = Render<StatusChip>(p => p.Add(c => c.Status, status));

        Assert.Equal(text, cut.Find(".mud-chip").TextContent.Trim());
        Assert.Contains($"mud-chip-color-{colour}", cut.Find(".mud-chip").ClassList);
        Assert.NotNull(cut.Find(".mud-chip svg"));
    }

    [Fact]
    public void Render_Gap_UsesThemeTextColoursSoItReadsInDarkTheme()
    {
        var cut = Render<StatusChip>(p => p.Add(c => c.Status, DisplayStatus.Gap));

        var style = cut.Find(".mud-chip").GetAttribute("style") ?? "";
        Assert.Contains("color: var(--mud-palette-text-primary)", style);
        Assert.Contains("border-color: var(--mud-palette-text-secondary)", style);
        Assert.DoesNotContain("#", style);
    }

    [Fact]
    public void Render_FailWithDetails_TooltipCarriesPhaseReasonAndMessage()
    {
        var cut = Render<StatusChip>(p => p
            .Add(c => c.Status, DisplayStatus.Fail)
            .Add(c => c.Phase, Phase.Proxy)
            .Add(c => c.Reason, ReasonCode.ProxyDenied)
            .Add(c => c.Message, "squid answered 403 Forbidden"));

        cut.Find(".mud-tooltip-root").PointerEnter();

        PopoverProvider.WaitForAssertion(() =>
        {
            var tip = PopoverProvider.Find("[data-testid=status-tooltip]").TextContent;
            Assert.Contains("Proxy", tip);
            Assert.Contains("ProxyDenied", tip);
            Assert.Contains("squid answered 403 Forbidden", tip);
        });
    }

    [Fact]
    public void Classify_OldPassingResult_IsStaleNotPass()
    {
        var now = new DateTimeOffset(2026, 11, 29, 6, 0, 0, TimeSpan.Zero);
        var interval = TimeSpan.FromMinutes(5);

        var status = CheckStatus.Classify(Verdict.Pass, ReasonCode.Ok, now.AddMinutes(-16), now, interval);
        var cut = Render<StatusChip>(p => p.Add(c => c.Status, status));

        Assert.Equal(DisplayStatus.Stale, status);
        Assert.Equal("Stale", cut.Find(".mud-chip").TextContent.Trim());
        Assert.DoesNotContain("mud-chip-color-success", cut.Find(".mud-chip").ClassList);
    }

    [Fact]
    public void Classify_RecentPassingResult_IsPass()
    {
        var now = new DateTimeOffset(2026, 11, 29, 6, 0, 0, TimeSpan.Zero);

        var status = CheckStatus.Classify(Verdict.Pass, ReasonCode.Ok, now.AddMinutes(-14), now, TimeSpan.FromMinutes(5));

        Assert.Equal(DisplayStatus.Pass, status);
    }

    [Fact]
    public void Classify_NeedsHostnameOrMissing_IsNotPass()
    {
        var now = DateTimeOffset.UnixEpoch.AddDays(1);

        Assert.Equal(DisplayStatus.NeedsHostname,
            CheckStatus.Classify(Verdict.Fail, ReasonCode.NeedsHostname, now, now, TimeSpan.FromMinutes(5)));
        Assert.Equal(DisplayStatus.NoData, CheckStatus.Classify(null, null, null, now, TimeSpan.FromMinutes(5)));
    }
}
