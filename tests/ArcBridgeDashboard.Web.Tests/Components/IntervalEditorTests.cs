using ArcBridgeDashboard.Web.Components.Pages.Endpoints;
using Bunit;

namespace ArcBridgeDashboard.Web.Tests.Components;

public sealed class IntervalEditorTests : DashboardComponentTest
{
    private IRenderedComponent<IntervalEditor> RenderEditor(int? current, List<int?> saved) =>
        Render<IntervalEditor>(p => p
            .Add(c => c.CurrentSeconds, current)
            .Add(c => c.GlobalMinutes, 5)
            .Add(c => c.OnSave, v => saved.Add(v)));

    [Fact]
    public void Save_Zero_ShowsRangeMessageAndDoesNotSave()
    {
        var saved = new List<int?>();
        var cut = RenderEditor(null, saved);

        cut.Find("input[data-testid=interval-input]").Change("0");
        cut.Find("[data-testid=interval-save]").Click();

        Assert.Contains("must be a whole number of minutes from 1 to 1440", cut.Markup);
        Assert.Empty(saved);
    }

    [Fact]
    public void Save_Minutes_StoresSeconds()
    {
        var saved = new List<int?>();
        var cut = RenderEditor(null, saved);

        cut.Find("input[data-testid=interval-input]").Change("15");
        cut.Find("[data-testid=interval-save]").Click();

        Assert.Equal([900], saved);
    }

    [Fact]
    public void Save_Empty_FallsBackToGlobal()
    {
        var saved = new List<int?>();
        var cut = RenderEditor(600, saved);
        Assert.Equal("10", cut.Find("input[data-testid=interval-input]").GetAttribute("value"));

        cut.Find("input[data-testid=interval-input]").Change("");
        cut.Find("[data-testid=interval-save]").Click();

        Assert.Equal([(int?)null], saved);
    }
}
