using ArcBridgeDashboard.Web.Components.Pages.Allowlist;
using Bunit;

namespace ArcBridgeDashboard.Web.Tests.Components;

public sealed class ImportPanelTests : DashboardComponentTest
{
    private static readonly ImportPreviewModel Diff = new([],
        [new("new.azure.com:443/tcp", "New service", "")],
        [new("old.azure.com:443/tcp", "Old service", "")],
        [new("mcr.microsoft.com:443/tcp", "MCR", "changed: Purpose")]);

    private IRenderedComponent<ImportPanel> RenderPanel(ImportPreviewModel preview, List<string> accepted) =>
        Render<ImportPanel>(p => p
            .Add(c => c.Preview, _ => Task.FromResult(preview))
            .Add(c => c.OnAccept, md => accepted.Add(md)));

    [Fact]
    public void Preview_ValidMarkdown_ShowsAddedRemovedChangedThenAcceptSendsTheMarkdown()
    {
        var accepted = new List<string>();
        var cut = RenderPanel(Diff, accepted);

        cut.Find("textarea[data-testid=import-markdown]").Change("| table |");
        cut.Find("[data-testid=import-preview]").Click();

        Assert.Contains("new.azure.com:443/tcp", cut.Find("[data-testid=diff-added]").TextContent);
        Assert.Contains("old.azure.com:443/tcp", cut.Find("[data-testid=diff-removed]").TextContent);
        Assert.Contains("changed: Purpose", cut.Find("[data-testid=diff-changed]").TextContent);
        Assert.Empty(accepted);

        cut.Find("[data-testid=import-accept]").Click();

        Assert.Equal(["| table |"], accepted);
        Assert.Empty(cut.FindAll("[data-testid=import-diff]"));
    }

    [Fact]
    public void Preview_BrokenMarkdown_ShowsLineAndColumnAndNoAccept()
    {
        var accepted = new List<string>();
        var cut = RenderPanel(new ImportPreviewModel([new ImportLineError(12, 7, "Port 'https' is not a number")], [], [], []), accepted);

        cut.Find("textarea[data-testid=import-markdown]").Change("| broken |");
        cut.Find("[data-testid=import-preview]").Click();

        Assert.Equal("Line 12, column 7: Port 'https' is not a number", cut.Find("[data-testid=import-error]").TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-testid=import-accept]"));
        Assert.Empty(accepted);
    }

    [Fact]
    public void Cancel_AfterPreview_DropsThePreviewAndAcceptsNothing()
    {
        var accepted = new List<string>();
        var cut = RenderPanel(Diff, accepted);

        cut.Find("textarea[data-testid=import-markdown]").Change("| table |");
        cut.Find("[data-testid=import-preview]").Click();
        cut.Find("[data-testid=import-cancel]").Click();

        Assert.Empty(cut.FindAll("[data-testid=import-diff]"));
        Assert.Empty(accepted);
    }
}
