using ArcBridgeDashboard.Web.Components.Pages.Sweeps;
using Bunit;

namespace ArcBridgeDashboard.Web.Tests.Components;

public sealed class SweepTableTests : DashboardComponentTest
{
    private readonly List<(int Page, int? Agent)> _loads = [];
    private int? _agent;

    /// <summary>Three pages for any agent; each row names the page and agent it came from.</summary>
    private Task<SweepRowPage> LoadAsync(int page, int size, CancellationToken token)
    {
        _loads.Add((page, _agent));
        var start = new DateTimeOffset(2026, 12, 1, 6, 0, 0, TimeSpan.Zero).AddHours(-page);
        var row = new SweepRow(100 - page, "Scheduled", $"agent {_agent?.ToString() ?? "all"} page {page}", start, TimeSpan.FromSeconds(3), 20, 0, 0);
        return Task.FromResult(new SweepRowPage([row], HasMore: page < 2));
    }

    [Fact]
    public async Task FilterChanged_OnAnOlderPage_ShowsTheNewestPageOfTheNewFilter()
    {
        var cut = Render<SweepTable>(p => p.Add(t => t.LoadPage, LoadAsync).Add(t => t.Filter, null));
        await cut.Find("[aria-label='older sweeps']").ClickAsync(new());
        cut.WaitForAssertion(() => Assert.Contains("Page 2", cut.Find("[data-testid='sweeps-pager']").TextContent));
        Assert.Contains("agent all page 1", cut.Markup);

        _agent = 3;
        cut.Render(p => p.Add(t => t.Filter, 3));

        cut.WaitForAssertion(() => Assert.Contains("agent 3 page 0", cut.Markup));
        Assert.Contains("Page 1", cut.Find("[data-testid='sweeps-pager']").TextContent);
        Assert.True(cut.Find("[aria-label='newer sweeps']").HasAttribute("disabled"));
    }

    [Fact]
    public async Task Reload_SameFilter_StaysOnThePageTheUserOpened()
    {
        var cut = Render<SweepTable>(p => p.Add(t => t.LoadPage, LoadAsync).Add(t => t.Filter, 1));
        _agent = 1;
        await cut.Find("[aria-label='older sweeps']").ClickAsync(new());
        cut.WaitForAssertion(() => Assert.Contains("agent 1 page 1", cut.Markup));

        await cut.InvokeAsync(() => cut.Instance.ReloadAsync());
        cut.Render(p => p.Add(t => t.Filter, 1));

        cut.WaitForAssertion(() => Assert.Equal((1, 1), _loads[^1]));
        Assert.Contains("Page 2", cut.Find("[data-testid='sweeps-pager']").TextContent);
    }
}
