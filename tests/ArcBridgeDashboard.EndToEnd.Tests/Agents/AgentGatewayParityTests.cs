using ArcBridgeDashboard.EndToEnd.Tests.Support;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Probes.Tests.Support;
using ArcBridgeDashboard.Testing;
using ArcBridgeDashboard.Web.Tests.Support;

namespace ArcBridgeDashboard.EndToEnd.Tests.Agents;

/// <summary>
/// Arc gateway mode reaches remote agents through their plan: with the gateway URL saved in Settings (real squid
/// https_port standing in for it), the published ApplianceVm agent and the built-in agent both probe through it and
/// give the same verdicts: one target the gateway tunnels to, one it refuses.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class AgentGatewayParityTests
{
    private const string Tunnelled = "Through the gateway";
    private const string Refused = "Refused by the gateway";

    [Fact]
    public async Task Run_PublishedApplianceVmAgentBesideBuiltIn_SameVerdictsThroughTheGatewayFromSettings()
    {
        var (root, leaf) = LoopbackTlsServer.CreatePki();
        using var service = new LoopbackTlsServer(leaf);
        using var gateway = new GatewaySquidRunner(leaf, root);
        var refusedPort = Ports.FreeTcp();
        await using var lab = new AgentLab();
        await DashboardDatabase.CreateAsync(lab.DatabasePath, root.ExportCertificatePem(), 5, gateway.Gateway.ToString().TrimEnd('/'),
            BothRoles(Tunnelled, "127.0.0.1", service.Port), BothRoles(Refused, GatewaySquidRunner.BlockedAddress.ToString(), refusedPort));
        await lab.StartDashboardAsync(builtInAgent: true);

        // No gateway option of its own: the remote agent learns the gateway from its plan.
        var agent = lab.StartPublishedAgent("vm-gw", "ApplianceVm", Path.Combine(lab.Folder, "vm"), await lab.CreateTokenAsync(), 3600);

        Dictionary<int, (int Verdict, int Reason)> builtIn = [], remote = [];
        await Eventually.WaitAsync(async () =>
        {
            builtIn = await lab.LatestByPortAsync("built-in");
            remote = await lab.LatestByPortAsync("vm-gw");
            return builtIn.Count == 2 && remote.Count == 2;
        }, TimeSpan.FromSeconds(90), "results of both agents for both targets", () => agent.Output + lab.Dashboard?.Output);

        Assert.Equal(((int)Verdict.Pass, (int)ReasonCode.Ok), builtIn[service.Port]);
        Assert.Equal(((int)Verdict.Fail, (int)ReasonCode.GatewayRefused), builtIn[refusedPort]);
        Assert.Equal(builtIn, remote);
        // Both went through the gateway: it logged the tunnel for each agent's probe of the service.
        Assert.True(gateway.AccessLog.Split('\n').Count(l => l.Contains($"CONNECT 127.0.0.1:{service.Port}", StringComparison.Ordinal)) >= 2, gateway.AccessLog);
    }

    private static CatalogEndpoint BothRoles(string service, string host, int port)
        => TestDatabase.Loopback(service, port) with { HostPattern = host, Sources = Sources.ManagementMachine | Sources.ApplianceVm };
}
