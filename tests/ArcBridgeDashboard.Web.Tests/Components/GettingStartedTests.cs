using ArcBridgeDashboard.Web.Components.Pages.Overview;
using ArcBridgeDashboard.Web.Monitoring.Queries;
using ArcBridgeDashboard.Web.Monitoring.Status;
using Bunit;

namespace ArcBridgeDashboard.Web.Tests.Components;

/// <summary>The overview on first start points at Settings and Agents, and steps aside once both are done.</summary>
public sealed class GettingStartedTests : DashboardComponentTest
{
    private static readonly OverviewSnapshot Snapshot = new(SampleRows.Matrix, SampleRows.Sources, null, Readiness.Empty);

    [Fact]
    public void Render_NothingSetUp_LinksToSettingsAndAgents()
    {
        var cut = Render<OverviewView>(p => p.Add(c => c.Snapshot, Snapshot).Add(c => c.Setup, new SetupProgress(false, false, false)));

        var card = cut.Find("[data-testid=getting-started]");
        Assert.Contains("proxy", card.TextContent);
        Assert.Contains("DNS servers", card.TextContent);
        Assert.Equal("settings", cut.Find("[data-testid=setup-settings-link]").GetAttribute("href"));
        Assert.Contains("Appliance VM", cut.Find("[data-testid=setup-agent]").TextContent);
        Assert.Equal("agents", cut.Find("[data-testid=setup-agents-link]").GetAttribute("href"));
        Assert.Equal("false", cut.Find("[data-testid=setup-results]").GetAttribute("data-done"));
    }

    [Fact]
    public void Render_SettingsSavedButNoApplianceAgent_StillShownWithSettingsDone()
    {
        var cut = Render<OverviewView>(p => p.Add(c => c.Snapshot, Snapshot).Add(c => c.Setup, new SetupProgress(true, false, true)));

        Assert.Equal("true", cut.Find("[data-testid=setup-settings]").GetAttribute("data-done"));
        Assert.Equal("false", cut.Find("[data-testid=setup-agent]").GetAttribute("data-done"));
        Assert.NotEmpty(cut.FindAll("[data-testid=setup-agents-link]"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Render_SettingsSavedAndApplianceAgentEnrolled_NoCard(bool hasResults)
    {
        var cut = Render<OverviewView>(p => p.Add(c => c.Snapshot, Snapshot).Add(c => c.Setup, new SetupProgress(true, true, hasResults)));

        Assert.Empty(cut.FindAll("[data-testid=getting-started]"));
        Assert.NotEmpty(cut.FindAll("[data-testid=readiness-banner]"));
    }
}
