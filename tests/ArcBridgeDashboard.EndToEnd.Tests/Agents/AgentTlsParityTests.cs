using ArcBridgeDashboard.EndToEnd.Tests.Support;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Testing;
using ArcBridgeDashboard.Web.Tests.Support;

namespace ArcBridgeDashboard.EndToEnd.Tests.Agents;

/// <summary>
/// A remote agent judges TLS exactly like the built-in one: the operator's private root, set in Settings as trusted
/// and expected root, reaches the published agent through its plan. Without it the remote agent called the private
/// PKI endpoint TlsInspected while the built-in agent passed it.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class AgentTlsParityTests
{
    private const string PrivatePki = "Private PKI service";
    private const string UnknownRoot = "Unknown root service";

    [Fact]
    public async Task Run_PublishedApplianceVmAgentBesideBuiltIn_SameTlsVerdictsWithTheRootsFromSettings()
    {
        var (root, leaf) = LoopbackTlsServer.CreatePki();
        var (_, strangerLeaf) = LoopbackTlsServer.CreatePki(); // a root nobody configured: inspection, for both agents
        using var privatePki = new LoopbackTlsServer(leaf);
        using var unknownRoot = new LoopbackTlsServer(strangerLeaf);
        await using var lab = new AgentLab();
        // What the operator saved in Settings: the private root as trusted and as expected root.
        await DashboardDatabase.CreateAsync(lab.DatabasePath, root.ExportCertificatePem(), 5,
            BothRoles(PrivatePki, privatePki.Port), BothRoles(UnknownRoot, unknownRoot.Port));
        await lab.StartDashboardAsync(builtInAgent: true);

        // No --trust-ca or --expected-root of its own: everything it knows about the roots comes from the plan.
        var agent = lab.StartPublishedAgent("vm-tls", "ApplianceVm", Path.Combine(lab.Folder, "vm"), await lab.CreateTokenAsync(), 3600);

        Dictionary<int, (int Verdict, int Reason)> builtIn = [], remote = [];
        await Eventually.WaitAsync(async () =>
        {
            builtIn = await lab.LatestByPortAsync("built-in");
            remote = await lab.LatestByPortAsync("vm-tls");
            return builtIn.Count == 2 && remote.Count == 2;
        }, TimeSpan.FromSeconds(90), "results of both agents for both TLS targets", () => agent.Output + lab.Dashboard?.Output);

        Assert.Equal(((int)Verdict.Pass, (int)ReasonCode.Ok), builtIn[privatePki.Port]);
        Assert.Equal((int)ReasonCode.TlsInspected, builtIn[unknownRoot.Port].Reason);
        Assert.Equal(Describe(builtIn, privatePki.Port, unknownRoot.Port), Describe(remote, privatePki.Port, unknownRoot.Port));
    }

    private static CatalogEndpoint BothRoles(string service, int port)
        => TestDatabase.Loopback(service, port) with { Sources = Sources.ManagementMachine | Sources.ApplianceVm };

    /// <summary>Verdict and reason by name per target, so a failure message reads "Fail/TlsInspected", not numbers.</summary>
    private static string Describe(Dictionary<int, (int Verdict, int Reason)> cells, params int[] ports)
        => string.Join("; ", ports.Select(p => $"{(p == ports[0] ? PrivatePki : UnknownRoot)}: {(Verdict)cells[p].Verdict}/{(ReasonCode)cells[p].Reason}"));
}
