using System.Net;
using System.Text.Json;
using ArcBridgeDashboard.Agent.Run;
using ArcBridgeDashboard.Probes.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace ArcBridgeDashboard.Agent.Tests.Run;

/// <summary>The plan poller against a real Kestrel agent API on loopback, on a fake clock.</summary>
public sealed class PlanPollerTests : IAsyncLifetime
{
    private WebApplication _server = null!;
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-29T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly List<DateTimeOffset> _planRequestTimes = [];
    private int _planRequests;
    private int _commandRequests;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _server = builder.Build();
        // The longest command poll the dashboard allows (PollSeconds 300); the plan never changes (304 after the first).
        var plan = JsonSerializer.Serialize(new AgentPlan { Version = "v1", AgentId = 7, Role = Sources.ApplianceVm, PollSeconds = 300 }, ProbeJson.Options);
        _server.MapGet(AgentApi.PlanPath, (HttpContext http) =>
        {
            lock (_planRequestTimes)
                _planRequestTimes.Add(_time.GetUtcNow());
            Interlocked.Increment(ref _planRequests);
            if (http.Request.Headers.IfNoneMatch == "\"v1\"")
                return Results.StatusCode(StatusCodes.Status304NotModified);
            http.Response.Headers.ETag = "\"v1\"";
            return Results.Text(plan, "application/json");
        });
        _server.MapGet(AgentApi.CommandsPath, () =>
        {
            Interlocked.Increment(ref _commandRequests);
            return Results.Text("{\"checkNowSequence\":0}", "application/json");
        });
        await _server.StartAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Offline_LongCommandPoll_StillRereadsThePlanEveryPlanRefresh()
    {
        var state = Path.Combine(Path.GetTempPath(), "arcbridge-planpoller-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(state);
        var options = new RunOptions { Server = new Uri(_server.Urls.First()), Name = "a", Role = Sources.ApplianceVm, StateDirectory = state, PlanRefresh = TimeSpan.FromSeconds(30) };
        using var http = new HttpClient { BaseAddress = options.Server, Timeout = TimeSpan.FromSeconds(10) };
        var live = new LiveState(); // not connected: the poller polls for commands
        var poller = new PlanPoller(new DashboardClient(http), new PlanStore(options), new CheckNowSignal(), live, options, new RejectionState(),
            new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance), _time, NullLogger<PlanPoller>.Instance);
        try
        {
            await poller.StartAsync(CancellationToken.None);
            await WaitAsync(() => _planRequests == 1 && _commandRequests == 1, "the first plan and command poll");

            // One fake second at a time, so the poller is always already waiting when the clock moves.
            for (var step = 0; step < 120 && _planRequests < 2; step++)
            {
                _time.Advance(TimeSpan.FromSeconds(1));
                await Task.Delay(20);
            }
            await WaitAsync(() => _planRequests >= 2, "the second plan request");
            // Re-read after PlanRefresh (30 s), not after the 300 s command poll.
            lock (_planRequestTimes)
                Assert.InRange((_planRequestTimes[1] - _planRequestTimes[0]).TotalSeconds, 30, 31);
        }
        finally
        {
            await poller.StopAsync(CancellationToken.None);
            Directory.Delete(state, recursive: true);
        }
    }

    private static async Task WaitAsync(Func<bool> condition, string what)
    {
        for (var i = 0; i < 200 && !condition(); i++)
            await Task.Delay(50);
        Assert.True(condition(), $"timed out waiting for {what}");
    }
}
