using ArcBridgeDashboard.Web.Components.Shared;
using ArcBridgeDashboard.Web.Monitoring.Status;
using Bunit;

namespace ArcBridgeDashboard.Web.Tests.Components;

public sealed class EndpointMatrixTests : DashboardComponentTest
{
    private IRenderedComponent<EndpointMatrix> RenderMatrix(Action<ComponentParameterCollectionBuilder<EndpointMatrix>>? extra = null) =>
        Render<EndpointMatrix>(p =>
        {
            p.Add(c => c.Rows, SampleRows.Matrix).Add(c => c.SourceColumns, SampleRows.Sources);
            extra?.Invoke(p);
        });

    private static IReadOnlyList<string> RowKeys(IRenderedComponent<EndpointMatrix> cut) =>
        cut.FindAll("tr.matrix-row").Select(r => r.GetAttribute("data-testid")!["row-".Length..]).ToList();

    [Fact]
    public void Render_ProblemsFirstOff_GroupsKeepTheGivenOrder()
    {
        var cut = RenderMatrix(p => p.Add(c => c.ProblemsFirst, false));

        var groups = cut.FindAll("tr.matrix-group").Select(g => g.TextContent.Trim()).ToList();
        Assert.Equal(["Microsoft container registry", "Azure Active Directory", "Azure Resource Manager"], groups);
    }

    [Fact]
    public void Render_Default_FailingServiceFirstThenStaleThenHealthy()
    {
        var cut = RenderMatrix();

        var groups = cut.FindAll("tr.matrix-group").Select(g => g.TextContent.Trim()).ToList();
        Assert.Equal(["Azure Active Directory", "Azure Resource Manager", "Microsoft container registry"], groups);
    }

    [Fact]
    public void Render_RowsOfSameService_AreGroupedUnderOneHeader()
    {
        var cut = RenderMatrix();

        Assert.Single(cut.FindAll("tr.matrix-group"), g => g.TextContent.Trim() == "Azure Active Directory");
        // Both Azure AD rows follow their header, not the catalog order.
        var bodyRows = cut.FindAll("tbody tr").Select(r => r.GetAttribute("data-testid")).ToList();
        var header = bodyRows.IndexOf("group-Azure Active Directory");
        Assert.Equal("row-login.microsoftonline.com:443/tcp", bodyRows[header + 1]);
        Assert.Equal("row-graph.microsoft.com:443/tcp", bodyRows[header + 2]);
    }

    [Fact]
    public void Render_Cells_CarryStatusPerTargetAndSource()
    {
        var cut = RenderMatrix();

        Assert.Equal("Fail", cut.Find($"[data-testid='cell-login.microsoftonline.com:443/tcp-{SampleRows.Vm}']").GetAttribute("data-status"));
        Assert.Equal("Stale", cut.Find($"[data-testid='cell-management.azure.com:443/tcp-{SampleRows.Mm}']").GetAttribute("data-status"));
        Assert.Equal("NotRequired", cut.Find($"[data-testid='cell-management.azure.com:443/tcp-{SampleRows.Vm}']").GetAttribute("data-status"));
    }

    [Fact]
    public void Filter_ByStatusFail_KeepsOnlyRowsWithAFailingCell()
    {
        var cut = RenderMatrix(p => p.Add(c => c.Status, DisplayStatus.Fail));

        Assert.Equal(["login.microsoftonline.com:443/tcp"], RowKeys(cut));
    }

    [Fact]
    public void Filter_ByService_KeepsOnlyThatService()
    {
        var cut = RenderMatrix(p => p.Add(c => c.Service, "Azure Active Directory"));

        Assert.Equal(["login.microsoftonline.com:443/tcp", "graph.microsoft.com:443/tcp"], RowKeys(cut));
        Assert.Single(cut.FindAll("tr.matrix-group"));
    }

    [Fact]
    public void Filter_BySource_ShowsOnlyThatColumnAndRowsNeedingIt()
    {
        var cut = RenderMatrix(p => p.Add(c => c.Source, SampleRows.Vm));

        Assert.DoesNotContain("management.azure.com:443/tcp", RowKeys(cut));
        Assert.Equal(3, RowKeys(cut).Count);
        Assert.Equal(["Endpoint", "Appliance VM"], cut.FindAll("thead th").Select(h => (h.QuerySelector(".label-long") ?? h).TextContent.Trim()).ToList());
        Assert.Empty(cut.FindAll($"[data-testid$='-{SampleRows.Mm}']"));
    }

    [Fact]
    public async Task Search_TypedText_NarrowsRowsAndReportsTheFilter()
    {
        string? reported = null;
        var cut = RenderMatrix(p => p.Add(c => c.SearchChanged, v => reported = v));

        await cut.Find("div[data-testid=matrix-search] input, input[data-testid=matrix-search]").InputAsync(new() { Value = "graph" });

        Assert.Equal(["graph.microsoft.com:443/tcp"], RowKeys(cut));
        Assert.Equal("graph", reported);
    }

    [Fact]
    public void Search_NoMatch_ShowsEmptyMessage()
    {
        var cut = RenderMatrix(p => p.Add(c => c.Search, "no-such-host"));

        Assert.Empty(RowKeys(cut));
        Assert.Contains("No endpoint matches", cut.Find("[data-testid=matrix-empty]").TextContent);
    }

    [Fact]
    public async Task Render_ParentRerendersWithNewRows_KeepsTheUsersFilter()
    {
        var cut = RenderMatrix();
        await cut.Find("div[data-testid=matrix-search] input, input[data-testid=matrix-search]").InputAsync(new() { Value = "graph" });

        var updated = SampleRows.Matrix.Select(r => r with { }).ToList();
        cut.Render(p => p.Add(c => c.Rows, updated));

        Assert.Equal(["graph.microsoft.com:443/tcp"], RowKeys(cut));
    }

    [Fact]
    public void Render_GatewayPaths_EachHttpsRowSaysWhetherItGoesThroughTheGateway()
    {
        var rows = SampleRows.Matrix.Select((r, i) => r with { Path = i == 0 ? MatrixPath.ViaGateway : MatrixPath.OutsideGateway }).ToList();
        var cut = Render<EndpointMatrix>(p => p.Add(c => c.Rows, rows).Add(c => c.SourceColumns, SampleRows.Sources));

        var first = cut.Find($"[data-testid='path-{rows[0].TargetKey}']");
        Assert.Equal("via gateway", first.TextContent.Trim());
        Assert.Equal("outside gateway", cut.Find($"[data-testid='path-{rows[1].TargetKey}']").TextContent.Trim());
    }

    [Fact]
    public void Render_NoGateway_NoPathChips()
    {
        var cut = RenderMatrix();

        Assert.Empty(cut.FindAll("[data-path]"));
    }
}
