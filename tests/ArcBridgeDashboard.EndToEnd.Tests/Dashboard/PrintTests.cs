using System.Text.RegularExpressions;
using ArcBridgeDashboard.EndToEnd.Tests.Support;
using ArcBridgeDashboard.Testing;
using ArcBridgeDashboard.Web.Tests.Support;
using Microsoft.Playwright;
using UglyToad.PdfPig;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ArcBridgeDashboard.EndToEnd.Tests.Dashboard;

/// <summary>
/// Printed from Chromium (its own print-to-PDF, print media), each page is evidence for a change board: no blank
/// page, none of the page's buttons or fields, and the print header (when, catalog, cloud, region, proxy, agents).
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class PrintTests(DashboardFixture fixture, ITestOutputHelper output) : IClassFixture<DashboardFixture>
{
    [Fact]
    public async Task EveryPage_PrintedToPdf_HasNoBlankPageNoControlsAndTheHeader()
    {
        var (root, leaf) = LoopbackTlsServer.CreatePki();
        using var server = new LoopbackTlsServer(leaf);
        await using var app = await fixture.StartDashboardAsync(root.ExportCertificatePem(), 5, TestDatabase.Loopback("Printed service", server.Port));

        await fixture.InPageAsync(app, output, "print", async page =>
        {
            await BlazorPage.OpenOverviewAsync(page, app.BaseAddress);
            await BlazorPage.ClickWhenWiredAsync(page, "check-now");
            await Expect(page.GetByTestId("change-summary")).ToBeVisibleAsync(new() { Timeout = 60_000 });
            // A readiness report, for its printable page.
            var report = $"reports/{await BlazorPage.GenerateReportAsync(page, app.BaseAddress)}";
            var problems = new List<string>();
            foreach (var path in new[] { "", "sweeps", "allowlist", "agents", "changes", "reports", report, report + "/print", "notifications", $"endpoints/{app.EndpointId("Printed service")}" })
            {
                await page.GotoAsync(new Uri(app.BaseAddress, path).ToString());
                await BlazorPage.ClickWhenWiredAsync(page, "theme-toggle"); // live; and dark on screen must still print black on white
                // What the operator could click on screen (innerText: as displayed, MudBlazor's buttons in capitals).
                var controls = await page.EvaluateAsync<string[]>(
                    "() => [...document.querySelectorAll('button, .mud-button-root')].map(b => b.innerText.trim()).filter(t => t.length > 3)");
                var pdf = await page.PdfAsync(new() { Format = "A4", PrintBackground = false });
                using var document = PdfDocument.Open(pdf);
                var pages = document.GetPages().Select(p => Regex.Replace(p.Text, @"\s+", " ").Trim()).ToList();
                var name = path.Length == 0 ? "overview" : path;
                if (pages.Count == 0)
                    problems.Add($"{name}: no page");
                for (var i = 0; i < pages.Count; i++)
                {
                    if (pages[i].Length == 0)
                        problems.Add($"{name}: page {i + 1} of {pages.Count} is blank");
                }
                var all = string.Join(" ", pages);
                if (!all.Contains("Printed", StringComparison.Ordinal) || !all.Contains("Catalog version", StringComparison.Ordinal))
                    problems.Add($"{name}: no print header");
                foreach (var control in controls.Distinct().Where(c => c.Any(char.IsLetter) && c == c.ToUpperInvariant()))
                {
                    if (all.Contains(control, StringComparison.Ordinal))
                        problems.Add($"{name}: the button '{control}' is printed");
                }
                await File.WriteAllBytesAsync(Path.Combine(DashboardFixture.ScreenshotDirectory, $"print-{name.Replace('/', '-')}.pdf"), pdf);
            }
            Assert.True(problems.Count == 0, string.Join("\n", problems));
        });
    }
}
