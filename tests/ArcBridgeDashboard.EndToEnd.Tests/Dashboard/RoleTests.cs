using ArcBridgeDashboard.EndToEnd.Tests.Support;
using ArcBridgeDashboard.Testing;
using ArcBridgeDashboard.Web.Accounts;
using ArcBridgeDashboard.Web.Tests.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ArcBridgeDashboard.EndToEnd.Tests.Dashboard;

/// <summary>Signing in as a Viewer in Chromium: the pages read, the controls that change things are absent, and asking for them anyway is refused.</summary>
[Trait("Category", "EndToEnd")]
public sealed class RoleTests(DashboardFixture fixture, ITestOutputHelper output) : IClassFixture<DashboardFixture>
{
    private const string Viewer = "e2e-viewer";

    [Fact]
    public async Task Viewer_SeesNoSaveImportOrCheckNow_AndAdminRequestsAreRefused()
    {
        var (root, leaf) = LoopbackTlsServer.CreatePki();
        using var reachable = new LoopbackTlsServer(leaf);
        await using var app = await fixture.StartDashboardAsync(root.ExportCertificatePem(), 10, TestDatabase.Loopback("Reachable service", reachable.Port));
        await DashboardSignIn.SeedUserAsync(app.DatabasePath, Viewer, DashboardRoles.Viewer);
        var page = await fixture.NewContextPageAsync();
        try
        {
            // Signed out, the overview sends the browser to the sign-in form, which brings it back after signing in.
            await page.GotoAsync(app.BaseAddress.ToString());
            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/signin\\?returnUrl="));
            await DashboardSignIn.SignInAsync(page, app.BaseAddress, Viewer);
            await Expect(page.GetByTestId("readiness-banner")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("nav-user")).ToContainTextAsync(Viewer);
            await Expect(page.GetByTestId("nav-user")).ToContainTextAsync("Viewer");
            await BlazorPage.ScreenshotAsync(page, "overview-viewer-1280", output);
            Assert.Equal(0, await page.GetByTestId("check-now").CountAsync());
            Assert.Equal(0, await page.GetByTestId("overview-annotations").CountAsync());
            // The menu has no Admin entries (the Get started card may still name Settings in its text).
            Assert.Equal(0, await page.Locator(".mud-navmenu a[href='settings'], .mud-navmenu a[href='users']").CountAsync());

            await page.GotoAsync(new Uri(app.BaseAddress, "/allowlist").ToString());
            await Expect(page.GetByTestId("catalog-version")).ToBeVisibleAsync();
            Assert.Equal(0, await page.GetByTestId("import-panel").CountAsync());

            await page.GotoAsync(new Uri(app.BaseAddress, "/agents").ToString());
            await Expect(page.GetByTestId("agents-title")).ToHaveAttributeAsync("data-interactive", "true");
            Assert.Equal(0, await page.GetByTestId("create-token").CountAsync());
            Assert.Equal(0, await page.GetByTestId("agents-check-now-all").CountAsync());

            // Typing the address of an Admin page lands on "not allowed"; the browser's own request for it is refused too.
            await page.GotoAsync(new Uri(app.BaseAddress, "/settings").ToString());
            await Expect(page.GetByTestId("access-denied")).ToBeVisibleAsync();
            Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).CountAsync());
            var direct = await page.Context.APIRequest.GetAsync(new Uri(app.BaseAddress, "/users").ToString(), new() { MaxRedirects = 0 });
            Assert.Equal(302, direct.Status);
            Assert.Contains("/access-denied", direct.Headers["location"], StringComparison.Ordinal);
            // The REST API answers as the role allows: reading works with the same cookie.
            Assert.Equal(200, (await page.Context.APIRequest.GetAsync(new Uri(app.BaseAddress, "/api/v1/status").ToString())).Status);
        }
        catch
        {
            await BlazorPage.ScreenshotAsync(page, "FAILED-viewer", output);
            output.WriteLine(string.Join('\n', app.Process.Output.Split('\n').TakeLast(60)));
            throw;
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }
}
