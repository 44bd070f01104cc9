using ArcBridgeDashboard.EndToEnd.Tests.Support;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Testing;
using ArcBridgeDashboard.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ArcBridgeDashboard.EndToEnd.Tests.Dashboard;

/// <summary>Every published allowlist version pasted into the Allowlist page of a real dashboard, oldest first and back.</summary>
[Collection(DashboardCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class AllowlistImportTests(DashboardFixture fixture, ITestOutputHelper output)
{
    private static readonly string FixtureFolder = Path.Combine(RepositoryRoot.Path, "tests", "ArcBridgeDashboard.Probes.Tests", "Fixtures", "allowlists");

    [Fact]
    public async Task Import_EveryPublishedVersionThroughThePage_NothingRefusedAndEndpointIdsSurvive()
    {
        var (root, leaf) = LoopbackTlsServer.CreatePki();
        using var server = new LoopbackTlsServer(leaf);
        await using var app = await fixture.StartDashboardAsync(root.ExportCertificatePem(), 5, TestDatabase.Loopback("Loopback service", server.Port));
        var files = Directory.GetFiles(FixtureFolder, "arc-resource-bridge-network-requirements.*.md").Order(StringComparer.Ordinal).ToList();
        int? mcrId = null;

        await fixture.InPageAsync(app, output, "allowlist-import", async page =>
        {
            foreach (var file in files.Append(files[0]))
            {
                var date = Path.GetFileName(file).Split('.')[1];
                await ImportAsync(page, app, File.ReadAllText(file), date);
                await Expect(page.GetByTestId("catalog-version")).ToContainTextAsync($"Allowlist of {date}");
                await using var db = TestDatabase.Open(app.DatabasePath);
                var mcr = await db.Endpoints.Where(e => e.Key == "mcr.microsoft.com:443/tcp" && e.Cloud == Cloud.AzureCloud).Select(e => (int?)e.Id).ToListAsync();
                Assert.True(mcr.Count <= 1, $"{date}: mcr.microsoft.com has {mcr.Count} rows");
                if (mcr.Count == 1)
                {
                    mcrId ??= mcr[0];
                    Assert.Equal(mcrId, mcr[0]);
                }
                // Government endpoints are imported but an Azure Cloud dashboard probes none of them.
                Assert.False(await db.Targets.AnyAsync(t => t.RetiredAt == null && t.Endpoint!.Cloud == Cloud.AzureGovernment));
            }
            await BlazorPage.ScreenshotAsync(page, "allowlist-after-imports", output);
        });
        Assert.NotNull(mcrId);
    }

    private static async Task ImportAsync(IPage page, RunningDashboard app, string markdown, string date)
    {
        await page.GotoAsync(new Uri(app.BaseAddress, "allowlist").ToString());
        await BlazorPage.FillWhenWiredAsync(page, "import-markdown", markdown);
        await BlazorPage.ClickWhenWiredAsync(page, "import-preview");
        await Expect(page.GetByTestId("import-errors")).ToHaveCountAsync(0);
        var accept = page.GetByTestId("import-accept");
        var noChanges = page.GetByTestId("import-no-changes");
        await Expect(accept.Or(noChanges)).ToBeVisibleAsync();
        if (await noChanges.IsVisibleAsync())
            return;
        var older = page.GetByTestId("import-older");
        if (await older.IsVisibleAsync())
        {
            await Expect(older).ToContainTextAsync(date);
            await page.Locator("input[data-testid=import-confirm-older], [data-testid=import-confirm-older] input").CheckAsync();
        }
        await accept.ClickAsync();
        await Expect(page.GetByTestId("catalog-version")).ToContainTextAsync($"Allowlist of {date}");
    }
}
