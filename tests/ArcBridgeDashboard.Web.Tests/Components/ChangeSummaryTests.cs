using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Components.Shared;
using Bunit;

namespace ArcBridgeDashboard.Web.Tests.Components;

public sealed class ChangeSummaryTests : DashboardComponentTest
{
    [Fact]
    public void Render_Changes_ListsEachKindWithCounts()
    {
        var changes = new SweepChanges(
            NewlyFailing: [new("login.microsoftonline.com:443/tcp", "Azure AD", SampleRows.Vm, ReasonCode.ProxyDenied, 7)],
            Recovered: [new("mcr.microsoft.com:443/tcp", "MCR", SampleRows.Mm), new("graph.microsoft.com:443/tcp", "Azure AD", SampleRows.Mm)],
            StillFailing: []);

        var cut = Render<ChangeSummary>(p => p.Add(c => c.Changes, changes));

        Assert.Contains("Newly failing (1)", cut.Find("[data-testid=newly-failing]").TextContent);
        Assert.Contains("ProxyDenied", cut.Find("[data-testid=newly-failing-item]").TextContent);
        Assert.Equal("endpoints/7", cut.Find("[data-testid=newly-failing-item] a").GetAttribute("href"));
        Assert.Equal(2, cut.FindAll("[data-testid=recovered-item]").Count);
        Assert.Contains("Still failing (0)", cut.Find("[data-testid=still-failing]").TextContent);
    }

    [Fact]
    public void Render_Change_ShowsServiceWithTargetKeyAsSecondary()
    {
        var changes = new SweepChanges(
            NewlyFailing: [new("127.0.0.1:43217/tcp", "Azure AD", SampleRows.Vm, ReasonCode.TcpRefused, 7)],
            Recovered: [new("127.0.0.1:43218/tcp", "", SampleRows.Mm)],
            StillFailing: []);

        var cut = Render<ChangeSummary>(p => p.Add(c => c.Changes, changes));

        var failing = cut.Find("[data-testid=newly-failing-item]");
        Assert.Equal("Azure AD", failing.QuerySelector("[data-testid=change-service]")!.TextContent.Trim());
        Assert.Equal("endpoints/7", failing.QuerySelector("[data-testid=change-service]")!.GetAttribute("href"));
        var secondary = failing.QuerySelector("[data-testid=change-target]")!;
        Assert.Equal("127.0.0.1:43217/tcp", secondary.TextContent.Trim());
        Assert.Contains("mud-text-secondary", secondary.ClassList);
        // Without a service name the target key is the name and is not repeated.
        var recovered = cut.Find("[data-testid=recovered-item]");
        Assert.Equal("127.0.0.1:43218/tcp", recovered.QuerySelector("[data-testid=change-service]")!.TextContent.Trim());
        Assert.Null(recovered.QuerySelector("[data-testid=change-target]"));
    }

    [Fact]
    public void Render_NoChanges_SaysNothingChanged()
    {
        var cut = Render<ChangeSummary>(p => p.Add(c => c.Changes, SweepChanges.Empty));

        Assert.NotNull(cut.Find("[data-testid=change-summary-quiet]"));
    }
}
