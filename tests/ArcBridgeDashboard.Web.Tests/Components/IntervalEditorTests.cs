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
    public async Task Save_Zero_ShowsRangeMessageAndDoesNotSave()
    {
        var saved = new List<int?>();
        var cut = RenderEditor(null, saved);

        await cut.Find("input[data-testid=interval-input]").ChangeAsync(new() { Value = "0" });
        await cut.Find("[data-testid=interval-save]").ClickAsync(new());

        Assert.Contains("must be a whole number of minutes from 1 to 1440", cut.Markup);
        Assert.Empty(saved);
    }

    [Fact]
    public async Task Save_Minutes_StoresSeconds()
    {
        var saved = new List<int?>();
        var cut = RenderEditor(null, saved);

        await cut.Find("input[data-testid=interval-input]").ChangeAsync(new() { Value = "15" });
        await cut.Find("[data-testid=interval-save]").ClickAsync(new());

        Assert.Equal([900], saved);
    }

    [Fact]
    public async Task Save_Empty_FallsBackToGlobal()
    {
        var saved = new List<int?>();
        var cut = RenderEditor(600, saved);
        Assert.Equal("10", cut.Find("input[data-testid=interval-input]").GetAttribute("value"));

        await cut.Find("input[data-testid=interval-input]").ChangeAsync(new() { Value = "" });
        await cut.Find("[data-testid=interval-save]").ClickAsync(new());

        Assert.Equal([(int?)null], saved);
    }
}
