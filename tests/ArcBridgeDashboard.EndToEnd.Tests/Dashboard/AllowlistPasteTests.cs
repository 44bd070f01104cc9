using ArcBridgeDashboard.EndToEnd.Tests.Support;
using ArcBridgeDashboard.Testing;
using ArcBridgeDashboard.Web.Components.Pages.Allowlist;
using ArcBridgeDashboard.Web.Tests.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ArcBridgeDashboard.EndToEnd.Tests.Dashboard;

/// <summary>Allowlists pasted into the Allowlist page with Ctrl+V, past SignalR's message size, past the import limit and across a drop of the live connection.</summary>
[Trait("Category", "EndToEnd")]
public sealed class AllowlistPasteTests(DashboardFixture fixture, ITestOutputHelper output) : IClassFixture<DashboardFixture>
{
    private static readonly string FixtureFolder = AllowlistImportTests.FixtureFolder;

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
            await ExpectPreviewEnabledAsync(page, 90_000);
            await BlazorPage.ClickWhenWiredAsync(page, "import-preview");

            await Expect(page.GetByTestId("import-diff")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("import-errors")).ToHaveCountAsync(0);
            await Expect(page.GetByTestId("import-too-large")).ToHaveCountAsync(0);
            await page.GetByTestId("import-accept").ClickAsync();
            await Expect(page.GetByTestId("catalog-version")).ToContainTextAsync("Allowlist of 2026-08-25");
            await BlazorPage.ScreenshotAsync(page, "allowlist-paste-large-imported", output);
        });
    }

    /// <summary>
    /// The live connection drops while the pasted text is still in the field. The "Rejoining the server" dialog takes
    /// the focus from the field, which fires the field's change while nothing can be sent: that change was lost, and the
    /// text stayed in the field with Preview disabled for good. Once the connection is back, the page has the text.
    /// </summary>
    [Fact]
    public async Task Paste_ConnectionDropsBeforeTheFieldIsLeft_PreviewsOnceItIsBack()
    {
        var (root, leaf) = LoopbackTlsServer.CreatePki();
        using var server = new LoopbackTlsServer(leaf);
        await using var app = await fixture.StartDashboardAsync(root.ExportCertificatePem(), 5, TestDatabase.Loopback("Loopback service", server.Port));
        var allowlist = File.ReadAllText(Path.Combine(FixtureFolder, "arc-resource-bridge-network-requirements.2026-08-25.md"));

        await fixture.InPageAsync(app, output, "allowlist-paste-reconnect", async page =>
        {
            await page.GotoAsync(new Uri(app.BaseAddress, "allowlist").ToString());
            await PasteAsync(page, allowlist, leaveField: false);
            await page.EvaluateAsync("""
                () => {
                    window.rejoinStates = [];
                    document.getElementById('components-reconnect-modal')
                        .addEventListener('components-reconnect-state-changed', e => window.rejoinStates.push(e.detail.state));
                }
                """);
            // Blazor's own hook for its tests: closes the live connection as a network drop does, and Blazor reconnects.
            await page.EvaluateAsync("() => Blazor._internal.forceCloseConnection()");
            // The dialog opened (the connection was down) and closed again (it is back).
            await page.WaitForFunctionAsync("() => window.rejoinStates.includes('show') && window.rejoinStates.at(-1) === 'hide'",
                null, new() { Timeout = 30_000 });
            await page.GetByTestId("import-markdown").BlurAsync(); // nothing to leave when the dialog took the focus

            await ExpectPreviewEnabledAsync(page, 30_000);
            await BlazorPage.ClickWhenWiredAsync(page, "import-preview");
            await Expect(page.GetByTestId("import-diff")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("import-errors")).ToHaveCountAsync(0);
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

    /// <summary>
    /// Puts the text on the clipboard and pastes it into the import field with Ctrl+V, as a person does, then leaves the
    /// field (unless <paramref name="leaveField"/> is false).
    /// </summary>
    private static async Task PasteAsync(IPage page, string text, bool leaveField = true)
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
        if (leaveField)
            await field.BlurAsync();
    }

    /// <summary>
    /// Preview changes enabled, that is the circuit holds the pasted text. If not, the failure says what the page shows:
    /// the text in the field, whether the live connection is down and whether the circuit failed (the fixture adds the
    /// browser console, where Blazor logs each disconnect and reconnect, and a screenshot).
    /// </summary>
    private static async Task ExpectPreviewEnabledAsync(IPage page, float timeout)
    {
        try
        {
            await Expect(page.GetByTestId("import-preview")).ToBeEnabledAsync(new() { Timeout = timeout });
        }
        catch (PlaywrightException ex)
        {
            var state = await page.EvaluateAsync<string>("""
                () => {
                    const field = document.querySelector('[data-testid=import-markdown]');
                    const rejoin = document.getElementById('components-reconnect-modal');
                    const error = document.getElementById('blazor-error-ui');
                    return `the field holds ${field ? field.value.length : 'no field:'} characters`
                        + (document.activeElement === field ? ' and still has the focus' : '')
                        + `; the "Rejoining the server" dialog is ${rejoin?.open ? 'open' : 'closed'}`
                        + `; the "An unhandled error has occurred" bar is ${error && getComputedStyle(error).display !== 'none' ? 'shown' : 'hidden'}`;
                }
                """);
            throw new InvalidOperationException($"Preview changes stayed disabled for {timeout / 1000:0} s: {state}.", ex);
        }
    }
}
