using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Components.Pages.Overview;
using ArcBridgeDashboard.Web.Components.Shared;
using ArcBridgeDashboard.Web.Monitoring.Status;
using Bunit;

namespace ArcBridgeDashboard.Web.Tests.Components;

public sealed class OverviewViewTests : DashboardComponentTest
{
    private static readonly OverviewSnapshot Snapshot =
        new(SampleRows.Matrix, SampleRows.Sources, new DateTimeOffset(2026, 11, 29, 5, 0, 0, TimeSpan.Zero), ReadinessOf(SampleRows.Matrix));

    /// <summary>What the overview query computes from the same cells (CheckStatus → Readiness).</summary>
    private static Readiness ReadinessOf(IEnumerable<MatrixRow> rows) =>
        Readiness.Of(rows.Where(r => r.Required).SelectMany(r => r.Cells.Values).Select(c => c.Status), []);

    [Fact]
    public void Render_Snapshot_BannerCountsOnlyFreshPassesOfRequiredChecks()
    {
        var cut = Render<OverviewView>(p => p.Add(c => c.Snapshot, Snapshot));

        // 7 cells: 5 pass, 1 fail, 1 stale.
        Assert.Equal("5 of 7 required endpoint × source checks pass", cut.Find("[data-testid=readiness-text]").TextContent.Trim());
        Assert.Equal("Error", cut.Find("[data-testid=readiness-banner]").GetAttribute("data-severity"));
    }

    [Fact]
    public async Task CheckNow_Click_InvokesCallback()
    {
        var clicks = 0;
        var cut = Render<OverviewView>(p => p.Add(c => c.Snapshot, Snapshot).Add(c => c.OnCheckNow, () => clicks++));

        await cut.Find("[data-testid=check-now]").ClickAsync(new());

        Assert.Equal(1, clicks);
    }

    [Fact]
    public void Render_Running_ButtonDisabledWithProgressAndNoStaleSummary()
    {
        var cut = Render<OverviewView>(p => p
            .Add(c => c.Snapshot, Snapshot)
            .Add(c => c.Progress, new CheckProgress(true, 3, 14))
            .Add(c => c.Changes, SweepChanges.Empty));

        Assert.True(cut.Find("[data-testid=check-now]").HasAttribute("disabled"));
        Assert.Contains("3/14", cut.Find("[data-testid=check-now]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=change-summary]"));
    }

    [Fact]
    public void Render_Finished_ShowsChangeSummary()
    {
        var changes = new SweepChanges([new("login.microsoftonline.com:443/tcp", "Azure AD", SampleRows.Vm, ReasonCode.ProxyDenied)], [], []);

        var cut = Render<OverviewView>(p => p.Add(c => c.Snapshot, Snapshot).Add(c => c.Changes, changes));

        Assert.Contains("Newly failing (1)", cut.Find("[data-testid=change-summary]").TextContent);
    }

    [Fact]
    public void Render_AllPassing_BannerIsSuccess()
    {
        var rows = new List<MatrixRow>
        {
            new("a:443/tcp", "S", "a", 443, TransportProtocol.Tcp, new Dictionary<string, StatusCell> { [SampleRows.Mm] = new(DisplayStatus.Pass) }),
            new("b:443/tcp", "S", "b", 443, TransportProtocol.Tcp, new Dictionary<string, StatusCell> { [SampleRows.Mm] = new(DisplayStatus.Warn) }),
        };

        var cut = Render<OverviewView>(p => p.Add(c => c.Snapshot, new OverviewSnapshot(rows, [SampleRows.Mm], null, ReadinessOf(rows))));

        Assert.Equal("2 of 2 required endpoint × source checks pass", cut.Find("[data-testid=readiness-text]").TextContent.Trim());
        Assert.Equal("Success", cut.Find("[data-testid=readiness-banner]").GetAttribute("data-severity"));
        Assert.Contains("No sweep has run yet", cut.Find("[data-testid=readiness-last-sweep]").TextContent);
    }
}
