using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Components.Shared;
using ArcBridgeDashboard.Web.Monitoring.Status;
using Bunit;

namespace ArcBridgeDashboard.Web.Tests.Components;

public sealed class StateTimelineTests : DashboardComponentTest
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Render_Changes_NewestFirstWithFromAndToStatus()
    {
        IReadOnlyList<StatusChange> changes =
        [
            new(T0, DisplayStatus.NoData, DisplayStatus.Pass, SampleRows.Mm),
            new(T0.AddHours(2), DisplayStatus.Pass, DisplayStatus.Fail, SampleRows.Mm, Phase.Proxy, ReasonCode.ProxyDenied, "403"),
            new(T0.AddHours(3), DisplayStatus.Fail, DisplayStatus.Pass, SampleRows.Mm),
        ];

        var cut = Render<StateTimeline>(p => p.Add(c => c.Changes, changes));

        var items = cut.FindAll("[data-testid=timeline-item]");
        Assert.Equal(3, items.Count);
        var statuses = cut.FindAll("[data-testid=timeline-item] .mud-chip").Select(c => c.GetAttribute("data-status")).ToList();
        Assert.Equal(["Fail", "Pass", "Pass", "Fail", "NoData", "Pass"], statuses);
        Assert.Contains("ProxyDenied", cut.FindAll("[data-testid=timeline-item]")[1].TextContent);
    }

    [Fact]
    public void Render_NoChanges_SaysSo()
    {
        var cut = Render<StateTimeline>(p => p.Add(c => c.Changes, []));

        Assert.Contains("No state changes", cut.Find("[data-testid=timeline-empty]").TextContent);
    }
}
