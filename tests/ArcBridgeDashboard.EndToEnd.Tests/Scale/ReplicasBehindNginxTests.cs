using System.Net;
using ArcBridgeDashboard.EndToEnd.Tests.Agents;
using Microsoft.Playwright;

namespace ArcBridgeDashboard.EndToEnd.Tests.Scale;

/// <summary>
/// Two dashboard replicas (real processes) behind Debian's nginx with the shipped deploy/nginx/arcbridge.conf, on one
/// Redis: clients spread over both and stay on theirs; Check now pressed in a browser on one replica reaches an agent
/// connected to the other and its rows show live in that browser; when the browser's replica dies, the browser
/// carries on on the other one through nginx.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class ReplicasBehindNginxTests
{
    private const int TargetCount = 4;

    [Fact]
    public async Task Nginx_SpreadsBrowsersOverBothReplicas_KeepsEachOnItsOwn_AndAgentsByTheirToken()
    {
        await using var scale = await ScaleLab.StartAsync(TargetCount);
        var seen = new HashSet<string>();
        for (var client = 0; client < 16; client++)
        {
            using var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = scale.Nginx.Url };
            var served = new List<string>();
            for (var request = 0; request < 3; request++)
            {
                using var response = await http.GetAsync("/signin");
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var affinity = response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("arcbridge_affinity=", StringComparison.Ordinal));
                // The affinity cookie is handed out on the first visit only; later requests carry it.
                Assert.Equal(request == 0, affinity);
                served.Add(scale.ReplicaOf(Header(response, "X-Test-Upstream")).Name);
            }
            Assert.Single(served.Distinct());
            seen.Add(served[0]);
        }
        // 16 clients on a fair hash: all on one replica would happen once in 32,768 runs.
        Assert.Equal(["A", "B"], seen.Order());

        // Agents send no cookies: a bearer token keeps one agent on one replica (its negotiate and WebSocket agree).
        foreach (var token in new[] { "agent-one", "agent-two", "agent-three" })
        {
            var served = new List<string>();
            for (var request = 0; request < 3; request++)
            {
                using var http = new HttpClient { BaseAddress = scale.Nginx.Url };
                http.DefaultRequestHeaders.Authorization = new("Bearer", token);
                using var response = await http.GetAsync("/api/agents/plan");
                Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
                Assert.False(response.Headers.Contains("Set-Cookie"));
                served.Add(scale.ReplicaOf(Header(response, "X-Test-Upstream")).Name);
            }
            Assert.Single(served.Distinct());
        }
    }

    [Fact]
    public async Task CheckNow_InABrowserOnOneReplica_ReachesAnAgentOnTheOther_ShowsLive_AndTheBrowserSurvivesItsReplicaDying()
    {
        await using var scale = await ScaleLab.StartAsync(TargetCount);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = "/usr/bin/chromium", Headless = true, Args = ["--no-sandbox"] });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        await Support.DashboardSignIn.SignInAsync(page, scale.Nginx.Url, returnPath: "/");
        var overview = await page.GotoAsync(scale.Nginx.Url.ToString());
        var home = scale.ReplicaOf(await overview!.HeaderValueAsync("x-test-upstream"));
        var far = scale.Other(home);

        // The agent talks to the other replica only (straight to it, not through nginx).
        var agent = scale.Lab.StartAgentVia(null, far.Url, "far-agent", "ApplianceVm", Path.Combine(scale.Lab.Folder, "far"), await scale.CreateTokenAsync(), 3600);
        await Eventually.WaitAsync(async () => (await scale.StoredResultsAsync("far-agent")).Rows >= TargetCount && agent.Output.Contains("Live connection to the dashboard is up", StringComparison.Ordinal),
            TimeSpan.FromSeconds(90), "the agent's start sweep and live connection to the far replica", () => agent.Output + scale.Logs);

        await CheckNowAndSeeItLiveAsync(page, scale, agent, "on the browser's replica");
        Assert.DoesNotContain("picked up by polling", agent.Output, StringComparison.Ordinal); // pushed through the backplane
        await Screenshots.SaveAsync(page, "scale-check-now-across-replicas");

        // The browser's replica dies: its circuit is gone, the reconnect is refused by the other replica, the page
        // reloads through nginx onto the other one, still signed in (the key ring is in the shared database).
        var reloaded = page.WaitForResponseAsync(r => r.Request.ResourceType == "document" && r.Url.TrimEnd('/') == scale.Nginx.Url.ToString().TrimEnd('/'),
            new() { Timeout = 90_000 });
        home.Process.KillHard();
        var after = await reloaded;
        Assert.Equal(HttpStatusCode.OK, (HttpStatusCode)after.Status);
        Assert.Equal(far, scale.ReplicaOf(await after.HeaderValueAsync("x-test-upstream")));
        Assert.DoesNotContain("/signin", page.Url, StringComparison.Ordinal);

        await CheckNowAndSeeItLiveAsync(page, scale, agent, "after the failover");
        await Screenshots.SaveAsync(page, "scale-after-failover");

        // Nothing doubled: every result stored once, three passes (start, two check-nows) of every target.
        var (ids, rows) = await scale.StoredResultsAsync("far-agent");
        Assert.Equal(ids.Count, rows);
        Assert.All(await scale.ResultCountsByPortAsync("far-agent"), c => Assert.Equal(3, c.Value));
    }

    /// <summary>Presses Check now on the overview until the agent starts a check-now sweep, then waits for its rows in the page.</summary>
    private static async Task CheckNowAndSeeItLiveAsync(IPage page, ScaleLab scale, ChildProcess agent, string when)
    {
        var before = (await scale.StoredResultsAsync("far-agent")).Rows;
        var clicked = DateTimeOffset.UtcNow;
        for (var attempt = 0; attempt < 20 && AgentLog.FirstAfter(agent.Output, "Sweep started (check-now)", clicked) is null; attempt++)
        {
            // The button is in the prerendered HTML before the circuit is live; a click then does nothing, so retry.
            await page.GetByTestId("check-now").ClickAsync(new() { Timeout = 30_000 });
            for (var wait = 0; wait < 30 && AgentLog.FirstAfter(agent.Output, "Sweep started (check-now)", clicked) is null; wait++)
                await Task.Delay(100);
        }
        Assert.True(AgentLog.FirstAfter(agent.Output, "Sweep started (check-now)", clicked) is not null, $"Check now {when} never reached the agent\n{agent.Output}\n{scale.Logs}");
        Assert.Contains("pushed by the dashboard", agent.Output, StringComparison.Ordinal);
        await Eventually.WaitAsync(async () => (await scale.StoredResultsAsync("far-agent")).Rows >= before + TargetCount,
            TimeSpan.FromSeconds(30), $"the check-now results {when}", () => agent.Output);
        // Stored by the far replica, shown live by the browser's: the progress counted every relayed result.
        var progress = page.GetByTestId("agent-progress-far-agent");
        await Assertions.Expect(progress).ToHaveAttributeAsync("data-done", "true", new() { Timeout = 30_000 });
        await Assertions.Expect(progress).ToContainTextAsync($"{TargetCount}/{TargetCount}");
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;
}
