using ArcBridgeDashboard.EndToEnd.Tests.Support;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Testing;
using ArcBridgeDashboard.Web.Components.Pages.Allowlist;
using ArcBridgeDashboard.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ArcBridgeDashboard.EndToEnd.Tests.Dashboard;

/// <summary>Every published allowlist version pasted into the Allowlist page of a real dashboard, oldest first and back.</summary>
[Trait("Category", "EndToEnd")]
public sealed class AllowlistImportTests(DashboardFixture fixture, ITestOutputHelper output) : IClassFixture<DashboardFixture>
{
    internal static readonly string FixtureFolder = Path.Combine(RepositoryRoot.Path, "tests", "ArcBridgeDashboard.Probes.Tests", "Fixtures", "allowlists");

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

    /// <summary>
    /// What an operator keeps across a new allowlist: after results and a per-endpoint interval exist under the 2024-03-19
    /// version, accepting the 2026-08-25 one in the browser keeps mcr.microsoft.com's drill-down URL, its history and its
    /// interval, and the next Check now lists nothing as newly failing (new endpoints fail "on their first check").
    /// </summary>
    [Fact]
    public async Task Import_NewerVersionAfterResults_DrillDownHistoryAndIntervalSurviveAndNothingNewlyFails()
    {
        var (root, leaf) = LoopbackTlsServer.CreatePki();
        using var server = new LoopbackTlsServer(leaf);
        await using var app = await fixture.StartDashboardAsync(root.ExportCertificatePem(), 2, TestDatabase.Loopback("Loopback service", server.Port));
        string File(string date) => Path.Combine(FixtureFolder, $"arc-resource-bridge-network-requirements.{date}.md");

        await fixture.InPageAsync(app, output, "allowlist-history", async page =>
        {
            await ImportAsync(page, app, System.IO.File.ReadAllText(File("2024-03-19")), "2024-03-19");
            await CheckNowAsync(page, app);
            int mcrId;
            await using (var db = TestDatabase.Open(app.DatabasePath))
                mcrId = await db.Endpoints.Where(e => e.Key == "mcr.microsoft.com:443/tcp" && e.Cloud == Cloud.AzureCloud).Select(e => e.Id).SingleAsync();
            var drillDown = new Uri(app.BaseAddress, $"endpoints/{mcrId}").ToString();
            await page.GotoAsync(drillDown);
            await BlazorPage.FillWhenWiredAsync(page, "interval-input", "7");
            await BlazorPage.ClickWhenWiredAsync(page, "interval-save");
            await Agents.Eventually.WaitAsync(async () =>
            {
                await using var db = TestDatabase.Open(app.DatabasePath);
                return await db.Endpoints.Where(e => e.Id == mcrId).Select(e => e.IntervalSeconds).SingleAsync() == 420;
            }, TimeSpan.FromSeconds(30), "the 7-minute interval to be stored");
            var before = Samples(await page.GetByTestId("availability-24 h").InnerTextAsync());
            Assert.True(before >= 1, $"{before} results before the import");

            await ImportAsync(page, app, System.IO.File.ReadAllText(File("2026-08-25")), "2026-08-25");
            await page.GotoAsync(drillDown);
            await Expect(page.GetByTestId("endpoint-title")).ToContainTextAsync("mcr.microsoft.com");
            await Expect(page.GetByTestId("availability-24 h")).ToContainTextAsync(" result");
            Assert.True(Samples(await page.GetByTestId("availability-24 h").InnerTextAsync()) >= before, "the history before the import is gone");
            await Expect(page.Locator("[data-testid=interval-input] input, input[data-testid=interval-input]")).ToHaveValueAsync("7");

            await CheckNowAsync(page, app);
            var summary = page.GetByTestId("change-summary");
            await Expect(summary.GetByTestId("newly-failing-item")).ToHaveCountAsync(0);
            await Expect(summary.GetByTestId("first-check-failing-item").First).ToBeVisibleAsync();
            await Expect(summary.GetByTestId("first-check-failing")).ToContainTextAsync("management.azure.com");
            await BlazorPage.ScreenshotAsync(page, "allowlist-history-after-import", output);
        });
    }

    private static async Task CheckNowAsync(IPage page, RunningDashboard app)
    {
        await BlazorPage.OpenOverviewAsync(page, app.BaseAddress);
        await BlazorPage.ClickWhenWiredAsync(page, "check-now");
        await Expect(page.GetByTestId("change-summary")).ToBeVisibleAsync(new() { Timeout = 60_000 });
    }

    /// <summary>"24 h 0 % 3 results" → 3 ("1 result" → 1).</summary>
    private static int Samples(string availability)
        => int.Parse(System.Text.RegularExpressions.Regex.Match(availability, @"(\d+) results?\b").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

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
