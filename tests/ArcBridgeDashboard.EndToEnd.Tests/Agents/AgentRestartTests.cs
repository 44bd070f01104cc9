namespace ArcBridgeDashboard.EndToEnd.Tests.Agents;

/// <summary>Real dashboard and agent processes on loopback; SIGKILL on either side loses and duplicates nothing.</summary>
[Trait("Category", "EndToEnd")]
public sealed class AgentRestartTests
{
    private const int TargetCount = 12;

    [Fact]
    public async Task Run_DashboardKilledMidStreamAndRestarted_EveryProducedResultStoredExactlyOnce()
    {
        await using var lab = new AgentLab();
        await lab.StartDashboardAsync();
        await lab.SeedLoopbackTargetsAsync(TargetCount);
        var stateDir = Path.Combine(lab.Folder, "agent-a");
        var agent = lab.StartAgent("agent-a", "ApplianceVm", stateDir, await lab.CreateTokenAsync(), intervalSeconds: 1);
        await Eventually.WaitAsync(async () => (await lab.StoredResultsAsync("agent-a")).Rows >= 3 * TargetCount,
            TimeSpan.FromSeconds(90), "the first batches", () => agent.Output);

        lab.Dashboard!.KillHard();                        // mid-stream: the agent keeps sweeping every second
        await Eventually.WaitAsync(async () => await AgentOutboxFile.PendingCountAsync(stateDir) >= 2 * TargetCount,
            TimeSpan.FromSeconds(60), "results to queue up while the dashboard is down", () => agent.Output);
        var storedBeforeRestart = (await lab.StoredResultsAsync("agent-a")).Rows;
        await lab.StartDashboardAsync();
        await Eventually.WaitAsync(async () => (await lab.StoredResultsAsync("agent-a")).Rows > storedBeforeRestart,
            TimeSpan.FromSeconds(60), "batches to flow again after the restart", () => agent.Output);
        agent.KillHard();                                 // stop producing, mid-push perhaps

        // Restart the agent with a long interval: it drains what is left and sweeps once at start.
        var restarted = lab.StartAgent("agent-a", "ApplianceVm", stateDir, token: null, intervalSeconds: 3600);
        await Eventually.WaitAsync(async () =>
        {
            var (produced, pending, _) = await AgentOutboxFile.ReadAsync(stateDir);
            return pending.Count == 0 && produced == (await lab.StoredResultsAsync("agent-a")).Rows;
        }, TimeSpan.FromSeconds(90), "the outbox to drain", () => restarted.Output);
        restarted.KillHard();

        var (produced, stillPending, dropped) = await AgentOutboxFile.ReadAsync(stateDir);
        var (stored, rows) = await lab.StoredResultsAsync("agent-a");
        Assert.Equal(0, dropped);
        Assert.Empty(stillPending);
        Assert.True(produced >= 6 * TargetCount, $"only {produced} produced");
        Assert.Equal(produced, rows);                   // every result the agent produced, and no more
        Assert.Equal(stored.Count, rows);               // exactly once: no duplicate rows
        // Every pass arrived whole: each finished sweep holds all its targets' results. Only the pass the first kill
        // interrupted may be unfinished (its results up to the kill are stored; the rest were never produced).
        var sweeps = await lab.SweepsAsync("agent-a");
        Assert.All(sweeps.Where(s => s.Finished), s => Assert.Equal(TargetCount, s.Results));
        Assert.True(sweeps.Count(s => !s.Finished) <= 1, $"{sweeps.Count(s => !s.Finished)} unfinished sweeps");
    }

    [Fact]
    public async Task Run_AgentRestartedWhileDashboardDown_SweepsFromSavedPlanAndDrainsWhenItReturns()
    {
        await using var lab = new AgentLab();
        await lab.StartDashboardAsync();
        await lab.SeedLoopbackTargetsAsync(TargetCount);
        var stateDir = Path.Combine(lab.Folder, "agent-b");
        var agent = lab.StartAgent("agent-b", "ManagementMachine", stateDir, await lab.CreateTokenAsync(), intervalSeconds: 1);
        await Eventually.WaitAsync(async () => (await lab.StoredResultsAsync("agent-b")).Rows >= TargetCount,
            TimeSpan.FromSeconds(90), "the first results", () => agent.Output);

        lab.Dashboard!.KillHard();
        agent.KillHard();
        var restarted = lab.StartAgent("agent-b", "ManagementMachine", stateDir, token: null, intervalSeconds: 1);
        await Eventually.WaitAsync(async () => await AgentOutboxFile.PendingCountAsync(stateDir) >= 2 * TargetCount,
            TimeSpan.FromSeconds(60), "the restarted agent to sweep with no server", () => restarted.Output);
        var (_, producedWhileDown, _) = await AgentOutboxFile.ReadAsync(stateDir); // all still pending: no server

        await lab.StartDashboardAsync();
        await Eventually.WaitAsync(async () => producedWhileDown.IsSubsetOf((await lab.StoredResultsAsync("agent-b")).Ids),
            TimeSpan.FromSeconds(90), "the outbox to drain into the returned dashboard", () => restarted.Output);
        restarted.KillHard();

        var (stored, rows) = await lab.StoredResultsAsync("agent-b");
        Assert.Equal(stored.Count, rows);
        Assert.Contains("enrolled as agent", agent.Output);
        Assert.DoesNotContain("enrolled as agent", restarted.Output); // reused the saved credential
    }

    [Fact]
    public async Task Run_AgentRevoked_RefusedAndExitsWithCode3()
    {
        await using var lab = new AgentLab();
        await lab.StartDashboardAsync();
        await lab.SeedLoopbackTargetsAsync(4);
        var agent = lab.StartAgent("agent-r", "ApplianceVm", Path.Combine(lab.Folder, "agent-r"), await lab.CreateTokenAsync(), intervalSeconds: 1);
        await Eventually.WaitAsync(async () => (await lab.StoredResultsAsync("agent-r")).Rows >= 4, TimeSpan.FromSeconds(90), "the first results", () => agent.Output);

        await lab.RevokeAsync("agent-r");

        await Eventually.WaitAsync(() => Task.FromResult(agent.HasExited), TimeSpan.FromSeconds(60), "the revoked agent to stop", () => agent.Output);
        Assert.Equal(3, agent.ExitCode);
        Assert.Contains("was revoked", agent.Output);
    }
}
