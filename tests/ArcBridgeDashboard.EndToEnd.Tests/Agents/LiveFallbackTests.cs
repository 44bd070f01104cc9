using System.Net;
using Microsoft.Playwright;

namespace ArcBridgeDashboard.EndToEnd.Tests.Agents;

/// <summary>
/// A connected agent loses its SignalR connection mid-run (a relay in front of the dashboard resets it and refuses
/// reconnects, while plain HTTPS/HTTP requests pass): Check now pressed meanwhile reaches it by polling, and the live
/// connection comes back once the path is open again.
/// </summary>
[Trait("Category", "EndToEnd")]
[Collection(Support.TimedCollection.Name)]
public sealed class LiveFallbackTests
{
    private const int TargetCount = 3;

    [Fact]
    public async Task Run_LiveConnectionDropsMidRun_CheckNowArrivesByPollingAndLiveReconnects()
    {
        await using var lab = new AgentLab();
        await lab.StartDashboardAsync();
        await lab.SeedLoopbackTargetsAsync(TargetCount);
        await using var relay = new HubCuttingRelay(new IPEndPoint(lab.Address, lab.Port));
        var agent = lab.StartAgentVia(null, relay.Url, "cut-agent", "ApplianceVm", Path.Combine(lab.Folder, "cut"), await lab.CreateTokenAsync(), 3600);
        await Eventually.WaitAsync(async () => (await lab.StoredResultsAsync("cut-agent")).Rows >= TargetCount,
            TimeSpan.FromSeconds(90), "the start sweep", () => agent.Output);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = "/usr/bin/chromium", Headless = true, Args = ["--no-sandbox"] });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        await Support.DashboardSignIn.SeedUserAsync(lab.DatabasePath);
        await Support.DashboardSignIn.SignInAsync(page, lab.ServerUrl, returnPath: "/agents");
        await page.GotoAsync(new Uri(lab.ServerUrl, "/agents").ToString());
        await Assertions.Expect(page.GetByTestId("agents-title")).ToHaveAttributeAsync("data-interactive", "true", new() { Timeout = 30_000 });
        var status = page.GetByTestId("agent-status-cut-agent");
        await Assertions.Expect(status).ToContainTextAsync("online · live", new() { Timeout = 30_000 });

        var cut = DateTimeOffset.UtcNow;
        relay.CutHub();
        await Eventually.WaitAsync(() => Task.FromResult(AgentLog.FirstAfter(agent.Output, "Live connection lost", cut.AddSeconds(-1)) is not null),
            TimeSpan.FromSeconds(30), "the agent to notice the cut", () => agent.Output);
        await Assertions.Expect(status).Not.ToContainTextAsync("live", new() { Timeout = 30_000 });

        var clicked = DateTimeOffset.UtcNow;
        await page.GetByTestId("agents-check-now-all").ClickAsync();
        await Assertions.Expect(page.GetByTestId("agents-message")).ToContainTextAsync("Check now sent to 1 agent.");

        // The lab's poll interval is 1 s; 5 s leaves room for a loaded machine, not for a missed poll cycle of 10 s.
        await Eventually.WaitAsync(() => Task.FromResult(AgentLog.FirstAfter(agent.Output, "picked up by polling", clicked.AddSeconds(-1)) is not null),
            TimeSpan.FromSeconds(5), "the check now by polling", () => agent.Output);
        await Eventually.WaitAsync(async () => (await lab.StoredResultsAsync("cut-agent")).Rows >= 2 * TargetCount,
            TimeSpan.FromSeconds(30), "the check-now results", () => agent.Output);
        Assert.NotNull(AgentLog.FirstAfter(agent.Output, "Sweep started (check-now)", clicked.AddSeconds(-1)));
        Assert.Null(AgentLog.FirstAfter(agent.Output, "pushed by the dashboard", clicked.AddSeconds(-1)));
        Assert.True(relay.HubConnectionsRefused > 0, "the agent tried to reconnect while the hub was cut");

        var restored = DateTimeOffset.UtcNow;
        relay.RestoreHub();
        await Eventually.WaitAsync(() => Task.FromResult(AgentLog.FirstAfter(agent.Output, "Live connection to the dashboard is up", restored.AddSeconds(-1)) is not null),
            TimeSpan.FromSeconds(60), "the live connection to come back", () => agent.Output);
        await Assertions.Expect(status).ToContainTextAsync("online · live", new() { Timeout = 30_000 });
    }
}
