namespace ArcBridgeDashboard.EndToEnd.Tests.Agents;

/// <summary>
/// A real agent started without --interval follows the intervals of its plan: the global interval from Settings and
/// the per-endpoint override from the endpoint drill-down, and a changed override as soon as the plan reaches it.
/// Two loopback targets on two catalog endpoints, so each has its own schedule.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class AgentPlanIntervalTests
{
    // The agent's floor for plan intervals (PlanSettings.MinIntervalSeconds): the shortest a plan can ask for.
    private const int ShortSeconds = 10;
    private const int GlobalMinutes = 60;

    [Fact]
    public async Task Run_WithoutInterval_ProbesTheOverriddenEndpointOnItsIntervalAndTheOtherOnTheGlobalOne()
    {
        await using var lab = new AgentLab();
        await lab.StartDashboardAsync();
        await lab.SeedLoopbackTargetsAsync(2, endpointEach: true);
        var (fast, slow) = (lab.TargetPorts[0], lab.TargetPorts[1]);
        await lab.SetGlobalIntervalAsync(GlobalMinutes);
        await lab.SetEndpointIntervalAsync(fast, ShortSeconds);

        var agent = lab.StartAgent("plan-intervals", "ApplianceVm", Path.Combine(lab.Folder, "plan-intervals"), await lab.CreateTokenAsync(), intervalSeconds: null);

        // Start sweep + two more at 10 s: about 20 s; slow is not due again for an hour.
        await Eventually.WaitAsync(async () => (await lab.ResultCountsByPortAsync("plan-intervals")).GetValueOrDefault(fast) >= 3,
            TimeSpan.FromSeconds(60), "three probes of the 10 s endpoint", () => agent.Output);
        var counts = await lab.ResultCountsByPortAsync("plan-intervals");
        Assert.Equal(1, counts.GetValueOrDefault(slow));
        Assert.Contains($": 2 targets every {GlobalMinutes * 60} s", agent.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_EndpointIntervalShortenedOnTheDashboard_AgentFollowsItWithoutWaitingOutTheOldInterval()
    {
        await using var lab = new AgentLab();
        await lab.StartDashboardAsync();
        await lab.SeedLoopbackTargetsAsync(2, endpointEach: true);
        var (changed, unchanged) = (lab.TargetPorts[0], lab.TargetPorts[1]);
        await lab.SetGlobalIntervalAsync(GlobalMinutes);
        // Both endpoints hourly: the agent sleeps as long as it may (a minute) after its start sweep.
        var agent = lab.StartAgent("plan-follow", "ApplianceVm", Path.Combine(lab.Folder, "plan-follow"), await lab.CreateTokenAsync(), intervalSeconds: null, "--plan-refresh", "2");
        await Eventually.WaitAsync(async () => (await lab.ResultCountsByPortAsync("plan-follow")).Count == 2,
            TimeSpan.FromSeconds(60), "the start sweep", () => agent.Output);

        await lab.SetEndpointIntervalAsync(changed, ShortSeconds);

        // Plan noticed within 2 s, then probes 10 s and 20 s after the start sweep. Without the wake on a new plan,
        // or with the old hour still counting, the third probe would come after a minute or an hour.
        await Eventually.WaitAsync(async () => (await lab.ResultCountsByPortAsync("plan-follow")).GetValueOrDefault(changed) >= 3,
            TimeSpan.FromSeconds(45), "two more probes of the endpoint now at 10 s", () => agent.Output);
        Assert.Equal(1, (await lab.ResultCountsByPortAsync("plan-follow")).GetValueOrDefault(unchanged));
        Assert.True(agent.Output.Split(": 2 targets every").Length >= 3, $"the changed plan was not logged:{Environment.NewLine}{agent.Output}");
    }
}
