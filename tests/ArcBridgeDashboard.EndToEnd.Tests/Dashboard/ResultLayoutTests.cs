using ArcBridgeDashboard.EndToEnd.Tests.Support;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Testing;
using ArcBridgeDashboard.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ArcBridgeDashboard.EndToEnd.Tests.Dashboard;

/// <summary>
/// Long results stay readable: at 1280 px a sweep's messages wrap inside the table (a long URL used to push the table
/// past the card, which clipped every message mid-word), and on a 390 px phone the TLS chain of the drill-down gives
/// each certificate name a full line instead of a sliver that broke it every few characters.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class ResultLayoutTests(DashboardFixture fixture, ITestOutputHelper output) : IClassFixture<DashboardFixture>
{
    private const string Inspected = "Inspected service";
    private const string LongMessage = "Certificate revocation server cacerts.digicert.com:80 cannot be reached over HTTP: "
        + "http://cacerts.digicert.com/DigiCertGlobalG2TLSRSASHA2562020CA1-1.crt: the proxy answered 403 Forbidden "
        + "(squid/6.13, ERR_ACCESS_DENIED); the TLS chains of 7 endpoints name this server";

    [Fact]
    public async Task SweepAndDrillDown_LongMessageAt1280AndChainAt390_NothingClippedAndNamesKeepWholeWords()
    {
        var (root, _) = LoopbackTlsServer.CreatePki(rootName: "ArcBridge E2E Test Root");
        var (_, foreignLeaf) = LoopbackTlsServer.CreatePki(rootName: "ArcBridge E2E Test Root");
        using var inspected = new LoopbackTlsServer(foreignLeaf);
        await using var app = await fixture.StartDashboardAsync(root.ExportCertificatePem(), 10, TestDatabase.Loopback(Inspected, inspected.Port));

        await fixture.InPageAsync(app, output, "result-layout", async page =>
        {
            await BlazorPage.OpenOverviewAsync(page, app.BaseAddress);
            await BlazorPage.ClickWhenWiredAsync(page, "check-now");
            await Expect(page.GetByTestId("change-summary")).ToBeVisibleAsync(new() { Timeout = 60_000 });
            long sweepId;
            await using (var db = TestDatabase.Open(app.DatabasePath))
            {
                sweepId = await db.Sweeps.MaxAsync(s => s.Id);
                // What a blocked revocation server reports: a 70-character URL that no column can hold on one line.
                await db.Results.Where(r => r.SweepId == sweepId).ExecuteUpdateAsync(s => s.SetProperty(r => r.Message, LongMessage));
            }

            await page.GotoAsync(new Uri(app.BaseAddress, $"sweeps/{sweepId}").ToString());
            var message = page.GetByTestId("result-message").First;
            await Expect(message).ToContainTextAsync("DigiCertGlobalG2TLSRSASHA2562020CA1-1.crt");
            var fit = await page.EvaluateAsync<double[]>("""
                () => {
                    const container = document.querySelector('[data-testid=sweep-results] .mud-table-container');
                    const cell = document.querySelector('[data-testid=result-message]');
                    return [container.scrollWidth - container.clientWidth, cell.getBoundingClientRect().right - container.getBoundingClientRect().right];
                }
                """);
            Assert.True(fit[0] <= 1, $"the results table is {fit[0]} px wider than its card: messages are clipped");
            Assert.True(fit[1] <= 1, $"the message column ends {fit[1]} px beyond the card's edge");
            // Whole words: the sentence wraps at its spaces, so "Certificate" is never split across lines.
            Assert.True(await FitsOnOneLineAsync(page, "[data-testid=result-message]", "Certificate"), "a word of the message was split");
            await BlazorPage.SettleAsync(page);
            await BlazorPage.ScreenshotAsync(page, "sweep-long-message-light-1280", output);

            await page.SetViewportSizeAsync(390, 844);
            await page.GotoAsync(new Uri(app.BaseAddress, $"endpoints/{app.EndpointId(Inspected)}").ToString());
            var chain = page.GetByTestId("evidence-tls-chain");
            await Expect(chain).ToBeVisibleAsync();
            // Polled until the circuit's render settles; it never gets there in five squeezed columns.
            await page.WaitForFunctionAsync("""
                () => [...document.querySelectorAll('[data-testid=evidence-tls-chain] td.chain-name')]
                    .some(e => e.textContent.includes('ArcBridge E2E Test Root') && e.getBoundingClientRect().width >= 250)
                """, null, new() { Timeout = 30_000 });
            // The long URL of the message breaks, not the page: nothing scrolls sideways.
            await page.WaitForFunctionAsync("() => document.documentElement.scrollWidth <= window.innerWidth", null, new() { Timeout = 30_000 });
            Assert.True(await FitsOnOneLineAsync(page, "[data-testid=evidence-tls-chain] td.chain-name", "ArcBridge"), "a word of the issuer name was split");
            await BlazorPage.SettleAsync(page);
            await BlazorPage.ScreenshotAsync(page, "endpoint-chain-light-390", output);
        });
    }

    /// <summary>Whether <paramref name="word"/>, where it first occurs in the elements matching <paramref name="selector"/>, is laid out on one line.</summary>
    private static Task<bool> FitsOnOneLineAsync(IPage page, string selector, string word) => page.EvaluateAsync<bool>("""
        ([selector, word]) => {
            for (const el of document.querySelectorAll(selector)) {
                const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
                for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                    const at = node.textContent.indexOf(word);
                    if (at < 0) continue;
                    const range = document.createRange();
                    range.setStart(node, at);
                    range.setEnd(node, at + word.length);
                    return range.getClientRects().length === 1;
                }
            }
            throw new Error(`"${word}" not found in ${selector}`);
        }
        """, new[] { selector, word });
}
