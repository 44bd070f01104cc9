using ArcBridgeDashboard.Probes.Contracts;

namespace ArcBridgeDashboard.EndToEnd.Tests.Agents;

/// <summary>
/// Two agents, one inside a network namespace whose nftables rules drop some target ports: exactly those cells fail
/// for that agent's role (ApplianceVm), and the other role's agent sees every target pass.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class NetnsMatrixTests
{
    [Fact]
    public async Task Run_AgentInNamespaceWithBlockedPorts_ExactlyThoseCellsFailForItsRole()
    {
        Assert.True(Environment.UserName == "root", "this test creates a network namespace and needs root");
        using var ns = Netns.Create();
        await using var lab = new AgentLab(ns.HostAddress);
        await lab.StartDashboardAsync();
        await lab.SeedLoopbackTargetsAsync(6);
        var blocked = lab.TargetPorts.Take(2).ToHashSet();
        ns.Block(blocked);

        var vm = lab.StartAgentIn(ns.Name, "vm-in-netns", "ApplianceVm", Path.Combine(lab.Folder, "vm"), await lab.CreateTokenAsync(), 2);
        var mgmt = lab.StartAgent("mgmt-on-host", "ManagementMachine", Path.Combine(lab.Folder, "mgmt"), await lab.CreateTokenAsync(), 2);
        await Eventually.WaitAsync(async () => (await lab.LatestByPortAsync("vm-in-netns")).Count == 6 && (await lab.LatestByPortAsync("mgmt-on-host")).Count == 6,
            TimeSpan.FromSeconds(120), "a full sweep from both agents", () => vm.Output + mgmt.Output);

        var vmCells = await lab.LatestByPortAsync("vm-in-netns");
        var mgmtCells = await lab.LatestByPortAsync("mgmt-on-host");
        var failing = vmCells.Where(c => c.Value.Verdict == (int)Verdict.Fail).Select(c => c.Key).ToHashSet();
        Assert.True(blocked.SetEquals(failing), $"blocked {string.Join(',', blocked)}, failing {string.Join(',', failing)}");
        Assert.All(blocked, port => Assert.Equal((int)ReasonCode.TcpTimeout, vmCells[port].Reason));
        Assert.All(mgmtCells.Values, cell => Assert.Equal((int)Verdict.Pass, cell.Verdict));
    }
}
