using System.Text.RegularExpressions;
using ArcBridgeDashboard.EndToEnd.Tests.Support;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Testing;
using ArcBridgeDashboard.Web.Tests.Support;
using Microsoft.Playwright;
using UglyToad.PdfPig;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ArcBridgeDashboard.EndToEnd.Tests.Agents;

/// <summary>
/// The whole on-call story in one browser session, against the published dashboard with its built-in agent and the
/// published NativeAOT agent in a network namespace: annotate the change, a firewall rule in the remote agent's
/// namespace breaks one endpoint for that agent only, Check now, What changed names the endpoint as newly failing
/// under the remote agent (not the built-in one), and a report generated afterwards says so in its PDF and in the
/// comparison with the report generated before.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class BrowserFlowTests(DashboardFixture fixture, ITestOutputHelper output) : IClassFixture<DashboardFixture>
{
    private const string Steady = "Steady service";
    private const string Broken = "Firewalled service";
    private const string Remote = "vm-netns";
    private const string Note = "proxy change CHG-1234";

    [Fact]
    public async Task AnnotateBreakForRemoteAgentCheckNow_WhatChangedReportPdfAndCompareNameTheEndpoint()
    {
        Assert.True(Environment.UserName == "root", "this test creates a network namespace and needs root");
        using var ns = Netns.Create();
        await using var lab = new AgentLab(ns.HostAddress);
        var steadyPort = lab.Listen();
        var brokenPort = lab.Listen();
        var (root, _) = LoopbackTlsServer.CreatePki();
        // Both roles: the built-in agent (Management machine) and the remote one (Appliance VM) check both endpoints.
        var targets = await DashboardDatabase.CreateAsync(lab.DatabasePath, root.ExportCertificatePem(), 3,
            InLab(ns, Steady, steadyPort), InLab(ns, Broken, brokenPort));
        var brokenKey = targets[Broken].TargetKey;
        await DashboardSignIn.SeedUserAsync(lab.DatabasePath);
        await lab.StartDashboardAsync(builtInAgent: true, publishedDll: fixture.PublishedDll);
        var agent = lab.StartPublishedAgentIn(ns.Name, Remote, "ApplianceVm", Path.Combine(lab.Folder, "vm"), await lab.CreateTokenAsync(), 3600);
        string Logs() => agent.Output + Environment.NewLine + lab.Dashboard?.Output;
        await Eventually.WaitAsync(async () => (await lab.LatestByPortAsync(Remote)).Count == 2 && (await lab.LatestByPortAsync("built-in")).Count == 2,
            TimeSpan.FromSeconds(90), "the first sweep of both agents", Logs);

        var page = await fixture.NewContextPageAsync();
        try
        {
            await DashboardSignIn.SignInAsync(page, lab.BrowserUrl, returnPath: "/changes");
            var site = lab.BrowserUrl;

            // 1. The operator notes the change about to be made.
            await page.GotoAsync(new Uri(site, "/changes").ToString());
            await BlazorPage.FillWhenWiredAsync(page, "annotation-text", Note);
            await BlazorPage.ClickWhenWiredAsync(page, "annotation-save");
            await Expect(page.GetByTestId("annotation-saved")).ToContainTextAsync(Note);
            await Expect(page.GetByTestId("change-annotation").Filter(new() { HasText = Note })).ToBeVisibleAsync();

            // A baseline: Check now while everything passes, and a report of it.
            await BlazorPage.OpenOverviewAsync(page, site);
            await CheckNowAsync(page);
            await Expect(page.GetByTestId("change-summary").GetByTestId("newly-failing-item")).ToHaveCountAsync(0);
            var before = await BlazorPage.GenerateReportAsync(page, site);
            await Expect(page.GetByTestId("report-verdict")).ToHaveTextAsync("Ready");

            // 2. A firewall in the remote agent's namespace drops the endpoint; the built-in agent still reaches it.
            ns.Block([brokenPort]);

            // 3. Check now, from the overview: the run's summary comes once both agents finished.
            await BlazorPage.OpenOverviewAsync(page, site);
            await CheckNowAsync(page);
            var newlyFailing = page.GetByTestId("change-summary").GetByTestId("newly-failing-item");
            await Expect(newlyFailing).ToHaveCountAsync(1);
            await Expect(newlyFailing).ToContainTextAsync(brokenKey);
            await Expect(newlyFailing).ToContainTextAsync(Remote);
            await Expect(newlyFailing).Not.ToContainTextAsync("built-in");

            // 4. What changed: newly failing under the remote agent's name, nothing failing under the built-in agent.
            await page.GotoAsync(new Uri(site, "/changes").ToString());
            var rows = page.GetByTestId("change-table").Locator("tbody tr");
            var failed = rows.Filter(new() { Has = page.GetByTestId("change-line-change").Filter(new() { HasText = "→ Fail" }) });
            await Expect(failed).ToHaveCountAsync(1);
            await Expect(failed.GetByTestId("change-line-agent")).ToHaveTextAsync(Remote);
            await Expect(failed.GetByTestId("change-line-host")).ToHaveTextAsync(brokenKey);
            await Expect(failed.GetByTestId("change-line-service")).ToHaveTextAsync(Broken);
            await Expect(rows.Filter(new() { Has = page.GetByTestId("change-line-agent").GetByText("built-in", new() { Exact = true }) })
                .Filter(new() { HasText = "Fail" })).ToHaveCountAsync(0);
            await Expect(page.GetByTestId("change-annotation").Filter(new() { HasText = Note })).ToBeVisibleAsync();
            await BlazorPage.SettleAsync(page);
            await BlazorPage.ScreenshotAsync(page, "flow-changes-light-1280", output);

            // 5. A report now: Not ready, the firewalled endpoint in its PDF, downloaded through the browser.
            var after = await BlazorPage.GenerateReportAsync(page, site);
            await Expect(page.GetByTestId("report-verdict")).ToHaveTextAsync("Not ready");
            var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("download-pdf").ClickAsync());
            var pdfPath = Path.Combine(lab.Folder, download.SuggestedFilename);
            await download.SaveAsAsync(pdfPath);
            Assert.EndsWith(".pdf", download.SuggestedFilename, StringComparison.Ordinal);
            var text = PdfText(pdfPath);
            Assert.Contains("Verdict: Not ready", text, StringComparison.Ordinal);
            Assert.Contains(Broken, text, StringComparison.Ordinal);
            Assert.Contains($"{ns.HostAddress}:{brokenPort}", text, StringComparison.Ordinal);
            Assert.Contains(Remote, text, StringComparison.Ordinal);

            // … and compared with the report before the change: the endpoint is newly failing for the Appliance VM role.
            await page.GetByTestId("compare-previous").ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex(Regex.Escape($"/reports/compare?a={before}&b={after}")));
            await Expect(page.GetByTestId("newly-failing-title")).ToContainTextAsync("Newly failing (1)");
            var compared = page.GetByTestId("newly-failing").Locator("tbody tr");
            await Expect(compared).ToHaveCountAsync(1);
            await Expect(compared).ToContainTextAsync(Broken);
            await Expect(compared).ToContainTextAsync($"{ns.HostAddress}:{brokenPort}");
            await Expect(compared).ToContainTextAsync("Appliance VM");
            await Expect(page.GetByTestId("newly-passing-empty")).ToBeVisibleAsync();
            await BlazorPage.SettleAsync(page);
            await BlazorPage.ScreenshotAsync(page, "flow-compare-light-1280", output);
        }
        catch
        {
            await BlazorPage.ScreenshotAsync(page, "FAILED-flow", output);
            output.WriteLine(Logs());
            throw;
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    /// <summary>A TcpDirect endpoint on the lab's veth address, checked by both source roles.</summary>
    private static CatalogEndpoint InLab(Netns ns, string service, int port)
        => TestDatabase.Loopback(service, port) with { HostPattern = ns.HostAddress, BypassProxy = true, Sources = Sources.ManagementMachine | Sources.ApplianceVm };

    private static async Task CheckNowAsync(IPage page)
    {
        await BlazorPage.ClickWhenWiredAsync(page, "check-now");
        // The summary appears once every agent finished its pass (the blocked connects take a phase timeout).
        await Expect(page.GetByTestId("change-summary")).ToBeVisibleAsync(new() { Timeout = 90_000 });
        await Expect(page.GetByTestId("change-summary-agents")).ToContainTextAsync(Remote);
    }

    private static string PdfText(string path)
    {
        using var pdf = PdfDocument.Open(path);
        return string.Join('\n', pdf.GetPages().Select(p => string.Join(' ', p.GetWords().Select(w => w.Text))));
    }
}
