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
            .Add(c => c.OnAccept, a => accepted.Add(a.Markdown)));

    [Fact]
    public async Task Preview_ValidMarkdown_ShowsAddedRemovedChangedThenAcceptSendsTheMarkdown()
    {
        var accepted = new List<string>();
        var cut = RenderPanel(Diff, accepted);

        await cut.Find("textarea[data-testid=import-markdown]").ChangeAsync(new() { Value = "| table |" });
        await cut.Find("[data-testid=import-preview]").ClickAsync(new());

        Assert.Contains("new.azure.com:443/tcp", cut.Find("[data-testid=diff-added]").TextContent);
        Assert.Contains("old.azure.com:443/tcp", cut.Find("[data-testid=diff-removed]").TextContent);
        Assert.Contains("changed: Purpose", cut.Find("[data-testid=diff-changed]").TextContent);
        Assert.Empty(accepted);

        await cut.Find("[data-testid=import-accept]").ClickAsync(new());

        Assert.Equal(["| table |"], accepted);
        Assert.Empty(cut.FindAll("[data-testid=import-diff]"));
    }

    [Fact]
    public async Task Change_TextCutAtTheFieldLimit_SaysTooLargeAndNeverPreviews()
    {
        var previewed = 0;
        var cut = Render<ImportPanel>(p => p
            .Add(c => c.Preview, _ => { previewed++; return Task.FromResult(Diff); })
            .Add(c => c.OnAccept, _ => { }));
        var field = cut.Find("textarea[data-testid=import-markdown]");
        Assert.Equal(ImportPanel.MaxMarkdownChars.ToString(System.Globalization.CultureInfo.InvariantCulture), field.GetAttribute("maxlength"));

        await field.ChangeAsync(new() { Value = new string('x', ImportPanel.MaxMarkdownChars) });

        var message = cut.Find("[data-testid=import-too-large]").TextContent;
        Assert.Contains("too large for an allowlist", message);
        Assert.Contains("Nothing was changed", message);
        Assert.True(cut.Find("[data-testid=import-preview]").HasAttribute("disabled"));
        await cut.Find("[data-testid=import-preview]").ClickAsync(new());
        Assert.Equal(0, previewed);

        await cut.Find("textarea[data-testid=import-markdown]").ChangeAsync(new() { Value = new string('x', 40 * 1024) });

        Assert.Empty(cut.FindAll("[data-testid=import-too-large]"));
        Assert.False(cut.Find("[data-testid=import-preview]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task Preview_OlderVersionWithUnreadableRow_ListsTheRowAndAcceptsOnlyAfterConfirmingBothDates()
    {
        var confirmed = new List<ImportAcceptance>();
        var older = Diff with { Warnings = [new ImportLineError(27, 25, "'sts windows net' is not a host name")], Version = "2024-03-19", ActiveVersion = "2026-08-25" };
        var cut = Render<ImportPanel>(p => p
            .Add(c => c.Preview, _ => Task.FromResult(older))
            .Add(c => c.OnAccept, a => confirmed.Add(a)));
        await cut.Find("textarea[data-testid=import-markdown]").ChangeAsync(new() { Value = "| old |" });
        await cut.Find("[data-testid=import-preview]").ClickAsync(new());

        Assert.Contains("Line 27, column 25: 'sts windows net' is not a host name", cut.Find("[data-testid=import-warnings]").TextContent);
        var older1 = cut.Find("[data-testid=import-older]").TextContent;
        Assert.Contains("2024-03-19", older1);
        Assert.Contains("2026-08-25", older1);
        Assert.True(cut.Find("[data-testid=import-accept]").HasAttribute("disabled"));

        await cut.Find("input[data-testid=import-confirm-older], [data-testid=import-confirm-older] input").ChangeAsync(new() { Value = true });
        await cut.Find("[data-testid=import-accept]").ClickAsync(new());

        Assert.Equal([new ImportAcceptance("| old |", true)], confirmed);
    }

    [Fact]
    public async Task Preview_BrokenMarkdown_ShowsLineAndColumnAndNoAccept()
    {
        var accepted = new List<string>();
        var cut = RenderPanel(new ImportPreviewModel([new ImportLineError(12, 7, "Port 'https' is not a number")], [], [], []), accepted);

        await cut.Find("textarea[data-testid=import-markdown]").ChangeAsync(new() { Value = "| broken |" });
        await cut.Find("[data-testid=import-preview]").ClickAsync(new());

        Assert.Equal("Line 12, column 7: Port 'https' is not a number", cut.Find("[data-testid=import-error]").TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-testid=import-accept]"));
        Assert.Empty(accepted);
    }

    [Fact]
    public async Task Cancel_AfterPreview_DropsThePreviewAndAcceptsNothing()
    {
        var accepted = new List<string>();
        var cut = RenderPanel(Diff, accepted);

        await cut.Find("textarea[data-testid=import-markdown]").ChangeAsync(new() { Value = "| table |" });
        await cut.Find("[data-testid=import-preview]").ClickAsync(new());
        await cut.Find("[data-testid=import-cancel]").ClickAsync(new());

        Assert.Empty(cut.FindAll("[data-testid=import-diff]"));
        Assert.Empty(accepted);
    }
}
