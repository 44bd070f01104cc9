namespace ArcBridgeDashboard.EndToEnd.Tests.Agents;

[Trait("Category", "EndToEnd")]
public sealed class AgentPlanChangeTests
{
    [Fact]
    public async Task Run_TargetAddedOnTheDashboard_AgentProbesItWithinAMinute()
    {
        await using var lab = new AgentLab();
        await lab.StartDashboardAsync();
        await lab.SeedLoopbackTargetsAsync(3);
        var agent = lab.StartAgent("plan-watch", "ApplianceVm", Path.Combine(lab.Folder, "plan-watch"), await lab.CreateTokenAsync(), 2);
        await Eventually.WaitAsync(() => Task.FromResult(agent.Output.Contains(": 3 targets every", StringComparison.Ordinal)), TimeSpan.FromSeconds(60), "the first plan", () => agent.Output);

        await lab.AddTargetAsync();

        await Eventually.WaitAsync(() => Task.FromResult(agent.Output.Contains(": 4 targets every", StringComparison.Ordinal)), TimeSpan.FromSeconds(60), "the changed plan", () => agent.Output);
        await Eventually.WaitAsync(async () => (await lab.LatestByPortAsync("plan-watch")).Count == 4, TimeSpan.FromSeconds(30), "a result for the new target", () => agent.Output);
    }
}
