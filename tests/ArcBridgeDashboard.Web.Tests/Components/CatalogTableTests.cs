using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Components.Pages.Allowlist;
using Bunit;

namespace ArcBridgeDashboard.Web.Tests.Components;

public sealed class CatalogTableTests : DashboardComponentTest
{
    private static readonly IReadOnlyList<CatalogRow> Rows =
    [
        new("Microsoft container registry", 443, TransportProtocol.Tcp, "mcr.microsoft.com", "mcr.microsoft.com", "as published",
            Sources.ManagementMachine | Sources.ApplianceVm, "Images", EndpointId: 1),
        new("Storage", 443, TransportProtocol.Tcp, "*.blob.core.windows.net", null, "needs a hostname", Sources.ApplianceVm, "Image layers"),
    ];

    [Fact]
    public void Render_WildcardWithoutHost_RowIsHighlightedAndSaysNeedsHostname()
    {
        var cut = Render<CatalogTable>(p => p.Add(c => c.Rows, Rows));

        var highlighted = cut.FindAll("tr.needs-hostname-row");
        var row = Assert.Single(highlighted);
        Assert.Contains("*.blob.core.windows.net", row.TextContent);
        Assert.Contains("Needs hostname", row.TextContent);
        Assert.Equal("endpoints/1", cut.Find("[data-testid='expanded-mcr.microsoft.com'] a").GetAttribute("href"));
    }

    [Fact]
    public void Render_Row_ShowsPortProtocolSourcesAndPurpose()
    {
        var cut = Render<CatalogTable>(p => p.Add(c => c.Rows, Rows));

        var first = cut.FindAll("tr.mud-table-row").First(r => r.TextContent.Contains("mcr.microsoft.com"));
        Assert.Contains("443/TCP", first.TextContent);
        Assert.Contains("Mgmt", first.TextContent);
        Assert.Contains("VM", first.TextContent);
        Assert.Contains("Images", first.TextContent);
    }
}
