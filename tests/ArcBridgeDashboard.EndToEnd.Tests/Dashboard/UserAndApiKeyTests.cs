using System.Net;
using ArcBridgeDashboard.EndToEnd.Tests.Support;
using ArcBridgeDashboard.Testing;
using ArcBridgeDashboard.Web.Tests.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ArcBridgeDashboard.EndToEnd.Tests.Dashboard;

/// <summary>
/// The Users and API keys pages driven in Chromium by the seeded Admin: what the Admin sees after each button, and what
/// the account or key then can do (the new user signing in, a script calling /api/v1 with the key).
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class UserAndApiKeyTests(DashboardFixture fixture, ITestOutputHelper output) : IClassFixture<DashboardFixture>
{
    private const string NewUser = "e2e-analyst";
    private const string NewPassword = "analyst long passphrase";

    /// <summary>A dashboard whose one endpoint is a TLS server on loopback (disposed by the caller).</summary>
    private async Task<(RunningDashboard App, LoopbackTlsServer Target)> StartAsync()
    {
        var (root, leaf) = LoopbackTlsServer.CreatePki();
        var target = new LoopbackTlsServer(leaf);
        return (await fixture.StartDashboardAsync(root.ExportCertificatePem(), 10, TestDatabase.Loopback("Reachable service", target.Port)), target);
    }

    /// <summary>
    /// Picks <paramref name="option"/> in a MudSelect, then waits for <paramref name="confirmed"/> to show
    /// <paramref name="confirmedText"/>: something the page renders from its own state once the choice reached the server.
    /// The select's own text is not enough (MudSelect also sets it from the browser). On a loaded machine a click on a
    /// list still opening can be lost, so three tries at most.
    /// </summary>
    private static async Task ChooseAsync(IPage page, string testId, string option, ILocator confirmed, string confirmedText)
    {
        for (var attempt = 1; ; attempt++)
        {
            await page.GetByTestId(testId).ClickAsync();
            await page.Locator(".mud-popover-open .mud-list-item", new() { HasTextString = option }).First.ClickAsync();
            try
            {
                await Expect(confirmed).ToContainTextAsync(confirmedText, new() { Timeout = 15_000 });
                return;
            }
            catch (PlaywrightException) when (attempt < 3)
            {
                await page.Keyboard.PressAsync("Escape"); // a list left open would take the next click
            }
        }
    }

    /// <summary>Signs in as <paramref name="userName"/> in a fresh browser context and returns the page it lands on.</summary>
    private async Task<IPage> SignInElsewhereAsync(RunningDashboard app, string userName, string password)
    {
        var page = await fixture.NewContextPageAsync();
        await page.GotoAsync(new Uri(app.BaseAddress, "/signin").ToString());
        await page.Locator("#username").FillAsync(userName);
        await page.Locator("#password").FillAsync(password);
        await page.GetByTestId("signin-submit").ClickAsync();
        return page;
    }

    [Fact]
    public async Task Users_AddViewer_ChangeRole_Disable_EachSeenByTheAdminAndByTheUserSigningIn()
    {
        var (app, target) = await StartAsync();
        using var _ = target;
        await using var __ = app;
        await fixture.InPageAsync(app, output, "users", async page =>
        {
            await page.GotoAsync(new Uri(app.BaseAddress, "/users").ToString());
            await BlazorPage.FillWhenWiredAsync(page, "user-new-name", NewUser);
            await BlazorPage.FillWhenWiredAsync(page, "user-new-password", NewPassword);
            await BlazorPage.ClickWhenWiredAsync(page, "user-add"); // the role select starts on Viewer
            await Expect(page.GetByTestId("users-message")).ToHaveTextAsync($"{NewUser} added as Viewer.");
            var row = page.GetByTestId("users-table").Locator("tr", new() { HasTextString = NewUser });
            await Expect(row).ToContainTextAsync("Active");
            await Expect(row.GetByRole(AriaRole.Combobox)).ToMatchAriaSnapshotAsync("- combobox: Viewer");
            // The password typed is nowhere on the page once added.
            Assert.DoesNotContain(NewPassword, await page.ContentAsync(), StringComparison.Ordinal);

            // The new user signs in and is a Viewer: no Check now.
            var viewer = await SignInElsewhereAsync(app, NewUser, NewPassword);
            await Expect(viewer.GetByTestId("nav-user")).ToContainTextAsync("Viewer");
            Assert.Equal(0, await viewer.GetByTestId("check-now").CountAsync());
            await viewer.Context.CloseAsync();

            await ChooseAsync(page, $"user-role-{NewUser}", "Operator", page.GetByTestId("users-message"), $"{NewUser} is now Operator.");
            await Expect(page.GetByTestId("users-message")).ToHaveTextAsync($"{NewUser} is now Operator.");
            await Expect(row.GetByRole(AriaRole.Combobox)).ToMatchAriaSnapshotAsync("- combobox: Operator");
            var operatorPage = await SignInElsewhereAsync(app, NewUser, NewPassword);
            await Expect(operatorPage.GetByTestId("nav-user")).ToContainTextAsync("Operator");
            await operatorPage.Context.CloseAsync();

            await BlazorPage.ClickWhenWiredAsync(page, $"user-toggle-{NewUser}");
            await Expect(page.GetByTestId("users-message")).ToContainTextAsync($"{NewUser} is disabled");
            await Expect(row).ToContainTextAsync("Disabled");
            await Expect(page.GetByTestId($"user-toggle-{NewUser}")).ToHaveTextAsync("Enable");
            await BlazorPage.ScreenshotAsync(page, "users-disabled", output);

            // Disabled, the right password no longer signs in, and the form says why.
            var refused = await SignInElsewhereAsync(app, NewUser, NewPassword);
            await Expect(refused.GetByTestId("signin-error")).ToHaveTextAsync("This account is disabled. Ask an Admin.");
            Assert.Contains("/signin", refused.Url, StringComparison.Ordinal);
            await refused.Context.CloseAsync();

            // The Audit log page shows all of it under the Admin's name.
            await page.GotoAsync(new Uri(app.BaseAddress, "/audit").ToString());
            var audit = page.GetByTestId("audit-table");
            await Expect(audit).ToContainTextAsync($"{NewUser} as Viewer");
            await Expect(audit).ToContainTextAsync($"{NewUser}: role Viewer → Operator");
            await Expect(audit).ToContainTextAsync($"{NewUser}: disabled");
            Assert.DoesNotContain(NewPassword, await page.ContentAsync(), StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task ApiKeys_CreateShownOnce_WorksWithItsRole_RevokedIsRefused()
    {
        var (app, target) = await StartAsync();
        using var _ = target;
        await using var __ = app;
        using var http = new HttpClient { BaseAddress = app.BaseAddress };
        await fixture.InPageAsync(app, output, "api-keys", async page =>
        {
            await page.GotoAsync(new Uri(app.BaseAddress, "/api-keys").ToString());
            await BlazorPage.FillWhenWiredAsync(page, "api-key-name", "nightly-script");
            await BlazorPage.ClickWhenWiredAsync(page, "api-key-create"); // the role select starts on Viewer
            await Expect(page.GetByTestId("api-key-created")).ToContainTextAsync("nightly-script (Viewer), shown once");
            var key = (await page.GetByTestId("api-key-value").TextContentAsync())!.Trim();
            Assert.StartsWith("abk_", key, StringComparison.Ordinal);
            var row = page.GetByTestId("api-keys-table").Locator("tr", new() { HasTextString = "nightly-script" });
            await Expect(row).ToContainTextAsync(key[..10] + "…");
            await Expect(row).ToContainTextAsync("never");

            // The key works as a Viewer: the REST API answers, an Admin page does not.
            using (var status = await SendAsync(http, "/api/v1/status", key))
                Assert.Equal(HttpStatusCode.OK, status.StatusCode);
            using (var users = await SendAsync(http, "/users", key))
                Assert.Equal(HttpStatusCode.Forbidden, users.StatusCode);
            using (var settings = await SendAsync(http, "/settings", key))
                Assert.Equal(HttpStatusCode.Forbidden, settings.StatusCode);

            // An Admin key opens the Admin page the Viewer key could not.
            await BlazorPage.FillWhenWiredAsync(page, "api-key-name", "admin-script");
            await Expect(page.GetByTestId("api-key-role-help")).ToContainTextAsync("Viewer: reads every page");
            await ChooseAsync(page, "api-key-role", "Admin", page.GetByTestId("api-key-role-help"), "Admin: everything");
            await BlazorPage.ClickWhenWiredAsync(page, "api-key-create");
            await Expect(page.GetByTestId("api-key-created")).ToContainTextAsync("admin-script (Admin)");
            var adminKey = (await page.GetByTestId("api-key-value").TextContentAsync())!.Trim();
            using (var users = await SendAsync(http, "/users", adminKey))
                Assert.Equal(HttpStatusCode.OK, users.StatusCode);

            // Shown once: opened again, the page lists the keys by their first characters only.
            await page.ReloadAsync();
            await Expect(page.GetByTestId("api-keys-table")).ToContainTextAsync("nightly-script");
            Assert.Equal(0, await page.GetByTestId("api-key-value").CountAsync());
            Assert.DoesNotContain(key, await page.ContentAsync(), StringComparison.Ordinal);
            await Expect(row).Not.ToContainTextAsync("never"); // used once above

            await BlazorPage.ClickWhenWiredAsync(page, "api-key-revoke-nightly-script");
            await Expect(row).ToContainTextAsync("Revoked");
            await BlazorPage.ScreenshotAsync(page, "api-keys-revoked", output);
            using var revoked = await SendAsync(http, "/api/v1/status", key);
            Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
            Assert.Contains("unknown or revoked", await revoked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        });
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, string path, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Api-Key", key);
        return await http.SendAsync(request);
    }
}
