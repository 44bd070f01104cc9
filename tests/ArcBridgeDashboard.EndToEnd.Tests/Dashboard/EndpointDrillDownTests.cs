using ArcBridgeDashboard.EndToEnd.Tests.Support;
using ArcBridgeDashboard.Testing;
using ArcBridgeDashboard.Web.Tests.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ArcBridgeDashboard.EndToEnd.Tests.Dashboard;

/// <summary>From a failing row of the overview to the endpoint's drill-down: which phase failed and what to do.</summary>
[Trait("Category", "EndToEnd")]
public sealed class EndpointDrillDownTests(DashboardFixture fixture, ITestOutputHelper output) : IClassFixture<DashboardFixture>
{
    private const string Reachable = "Reachable service";
    private const string Refused = "Refused service";

    [Fact]
    public async Task FailingRowLink_ClosedPort_DrillDownShowsTcpPhaseAndRemedy()
    {
        var (root, leaf) = LoopbackTlsServer.CreatePki();
        using var reachable = new LoopbackTlsServer(leaf);
        var closedPort = LoopbackTlsServer.ClosedPort();
        await using var app = await fixture.StartDashboardAsync(root.ExportCertificatePem(), 10,
            TestDatabase.Loopback(Reachable, reachable.Port), TestDatabase.Loopback(Refused, closedPort));

        await fixture.InPageAsync(app, output, "drill-down", async page =>
        {
            await BlazorPage.OpenOverviewAsync(page, app.BaseAddress);
            await BlazorPage.ClickWhenWiredAsync(page, "check-now");
            await Expect(page.GetByTestId($"cell-{app.TargetKey(Refused)}-ManagementMachine")).ToHaveAttributeAsync("data-status", "Fail");
            await Expect(page.GetByTestId($"cell-{app.TargetKey(Reachable)}-ManagementMachine")).ToHaveAttributeAsync("data-status", "Pass");

            await page.GetByTestId($"row-{app.TargetKey(Refused)}").GetByRole(AriaRole.Link).ClickAsync();

            await Expect(page).ToHaveURLAsync(new Uri(app.BaseAddress, $"endpoints/{app.EndpointId(Refused)}").ToString());
            await Expect(page.GetByTestId("endpoint-header")).ToContainTextAsync(Refused);
            await Expect(page.GetByTestId("waterfall-failing-phase")).ToHaveAttributeAsync("data-phase", "tcp");
            await Expect(page.GetByTestId("waterfall-failing-phase")).ToContainTextAsync("TCP");
            await Expect(page.GetByTestId("latest-reason")).ToContainTextAsync("TCP · TcpRefused");
            await Expect(page.GetByTestId("latest-reason")).ToContainTextAsync($"127.0.0.1:{closedPort}");
            await Expect(page.GetByTestId("latest-failure").GetByTestId("evidence-reason")).ToHaveTextAsync("TCP · TcpRefused");
            await Expect(page.GetByTestId("remedy")).ToContainTextAsync("allow the port on the firewall, or start the service that should listen there");
            await BlazorPage.ScreenshotAsync(page, "endpoint-light-tcp-refused", output);
        });
    }
}
