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

    /// <summary>
    /// Pasted, not typed: a real allowlist with a long note appended (the importer reads tables and skips prose) is
    /// well past SignalR's default 32 KB message, which used to drop the live connection with no word. It previews and
    /// imports like any other.
    /// </summary>
    [Fact]
    public async Task Paste_AllowlistOver32KB_PreviewsAndImports()
    {
        var (root, leaf) = LoopbackTlsServer.CreatePki();
        using var server = new LoopbackTlsServer(leaf);
        await using var app = await fixture.StartDashboardAsync(root.ExportCertificatePem(), 5, TestDatabase.Loopback("Loopback service", server.Port));
        var allowlist = File.ReadAllText(Path.Combine(FixtureFolder, "arc-resource-bridge-network-requirements.2026-08-25.md"));
        var note = "\n\nNote from the network team: these rules were reviewed with the proxy and firewall owners; "
            + "ask them before changing any of the rows above, and keep this page with the change ticket.\n";
        var markdown = allowlist + string.Concat(Enumerable.Repeat(note, 200));
        Assert.True(markdown.Length > 40 * 1024, $"{markdown.Length} characters");

        await fixture.InPageAsync(app, output, "allowlist-paste-large", async page =>
        {
            await page.GotoAsync(new Uri(app.BaseAddress, "allowlist").ToString());
            await PasteAsync(page, markdown);
            // Enabled once the circuit holds the pasted text: one 40 KB message, slow on a loaded machine.
            await Expect(page.GetByTestId("import-preview")).ToBeEnabledAsync(new() { Timeout = 90_000 });
            await BlazorPage.ClickWhenWiredAsync(page, "import-preview");

            await Expect(page.GetByTestId("import-diff")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("import-errors")).ToHaveCountAsync(0);
            await Expect(page.GetByTestId("import-too-large")).ToHaveCountAsync(0);
            await page.GetByTestId("import-accept").ClickAsync();
            await Expect(page.GetByTestId("catalog-version")).ToContainTextAsync("Allowlist of 2026-08-25");
            await BlazorPage.ScreenshotAsync(page, "allowlist-paste-large-imported", output);
        });
    }

    /// <summary>Far more than any allowlist: the page says so in words, keeps its live connection and changes nothing.</summary>
    [Fact]
    public async Task Paste_TextOverTheImportLimit_SaysTooLargeAndChangesNothing()
    {
        var (root, leaf) = LoopbackTlsServer.CreatePki();
        using var server = new LoopbackTlsServer(leaf);
        await using var app = await fixture.StartDashboardAsync(root.ExportCertificatePem(), 5, TestDatabase.Loopback("Loopback service", server.Port));
        var allowlist = File.ReadAllText(Path.Combine(FixtureFolder, "arc-resource-bridge-network-requirements.2026-08-25.md"));
        var huge = string.Concat(Enumerable.Repeat(allowlist, 30)); // ~390 KB

        await fixture.InPageAsync(app, output, "allowlist-paste-too-large", async page =>
        {
            await page.GotoAsync(new Uri(app.BaseAddress, "allowlist").ToString());
            await Expect(page.GetByTestId("catalog-version")).ToContainTextAsync("Allowlist of test");
            await PasteAsync(page, huge);

            var tooLarge = page.GetByTestId("import-too-large");
            await Expect(tooLarge).ToBeVisibleAsync();
            await Expect(tooLarge).ToContainTextAsync("too large");
            await Expect(tooLarge).ToContainTextAsync("Nothing was changed");
            await Expect(page.GetByTestId("import-preview")).ToBeDisabledAsync();
            // Still live: the circuit answers a click (the theme toggle re-renders the page).
            await BlazorPage.ClickWhenWiredAsync(page, "theme-toggle");
            await page.WaitForFunctionAsync("() => localStorage.getItem('arcbridge-theme') === 'dark'");
            await Expect(page.Locator("#components-reconnect-modal[open], .components-reconnect-show")).ToHaveCountAsync(0);
            await Expect(page.GetByTestId("catalog-version")).ToContainTextAsync("Allowlist of test");
            await BlazorPage.ScreenshotAsync(page, "allowlist-paste-too-large", output);
        });
    }

    /// <summary>Puts the text on the clipboard and pastes it into the import field with Ctrl+V, as a person does.</summary>
    private static async Task PasteAsync(IPage page, string text)
    {
        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await page.EvaluateAsync("text => navigator.clipboard.writeText(text)", text);
        // Wired to the circuit first: text pasted into the prerendered field is lost.
        await page.WaitForFunctionAsync(
            "() => { const e = document.querySelector('[data-testid=import-markdown]'); return !!e && Object.keys(e).some(k => k.startsWith('_blazorEvents_')); }",
            null, new() { Timeout = 30_000 });
        var field = page.GetByTestId("import-markdown");
        await field.FocusAsync();
        await page.Keyboard.PressAsync("Control+V");
        // The whole text (or as much as the field's maxlength keeps) is in the field before it leaves it:
        // blur sends the value to the circuit in one message.
        var expected = Math.Min(text.Length, ImportPanel.MaxMarkdownChars);
        await page.WaitForFunctionAsync(
            "n => document.querySelector('[data-testid=import-markdown]')?.value.length === n", expected, new() { Timeout = 120_000 });
        await field.BlurAsync();
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
