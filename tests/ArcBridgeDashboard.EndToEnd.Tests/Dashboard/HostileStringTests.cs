using ArcBridgeDashboard.EndToEnd.Tests.Support;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Testing;
using ArcBridgeDashboard.Web.Data;
using ArcBridgeDashboard.Web.Tests.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ArcBridgeDashboard.EndToEnd.Tests.Dashboard;

/// <summary>
/// Markup and script in what others wrote (an allowlist's service cell, an agent's chosen name, an operator's
/// annotation) are shown as text in Chromium: nothing runs, no element is injected.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class HostileStringTests(DashboardFixture fixture, ITestOutputHelper output) : IClassFixture<DashboardFixture>
{
    private const string Service = "<img src=x onerror=\"window.__pwned='service'\">Hostile service";
    private const string AgentName = "<script>window.__pwned='agent'</script>vm-1";
    private const string Note = "<b id=injected onmouseover=\"window.__pwned='note'\">CHG-1</b> \u001b[2J";

    [Fact]
    public async Task HostileServiceAgentNameAndAnnotation_RenderAsTextOnEveryPage()
    {
        var (root, leaf) = LoopbackTlsServer.CreatePki();
        using var server = new LoopbackTlsServer(leaf);
        await using var app = await fixture.StartDashboardAsync(root.ExportCertificatePem(), 5, TestDatabase.Loopback(Service, server.Port));
        await using (var db = TestDatabase.Open(app.DatabasePath))
        {
            var now = DateTimeOffset.UtcNow;
            db.Agents.Add(new Agent { Name = AgentName, Role = Sources.ApplianceVm, CreatedAt = now, LastSeenAt = now, CredentialHash = new string('0', 64) });
            db.Annotations.Add(new Annotation { At = now, Text = Note, Kind = AnnotationKind.Operator, Author = "<i>mallory</i>" });
            await db.SaveChangesAsync();
        }

        await fixture.InPageAsync(app, output, "hostile-strings", async page =>
        {
            foreach (var (path, shown) in new[] { ("", Service), ("agents", AgentName), ("changes?preset=annotation", "CHG-1") })
            {
                await page.GotoAsync(new Uri(app.BaseAddress, path).ToString());
                await BlazorPage.ClickWhenWiredAsync(page, "theme-toggle");
                await Expect(page.Locator("body")).ToContainTextAsync(shown);
                Assert.Null(await page.EvaluateAsync<string?>("() => window.__pwned ?? null"));
                Assert.Equal(0, await page.Locator("#injected, img[src=x], body script:not([src])").CountAsync());
            }
            // The literal markup is what the operator reads.
            await Expect(page.Locator("body")).ToContainTextAsync("<b id=injected");
            await BlazorPage.ScreenshotAsync(page, "hostile-strings-changes", output);
        });
    }
}
