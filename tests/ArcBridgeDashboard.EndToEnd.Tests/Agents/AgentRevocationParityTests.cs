using System.Security.Cryptography.X509Certificates;
using ArcBridgeDashboard.EndToEnd.Tests.Support;
using ArcBridgeDashboard.Probes.Catalog;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Probes.Tests.Support;
using ArcBridgeDashboard.Testing;
using ArcBridgeDashboard.Web.Tests.Support;

namespace ArcBridgeDashboard.EndToEnd.Tests.Agents;

/// <summary>
/// A revocation server that no catalog lists, named only by the chain of a private PKI endpoint, gets its own row from
/// the built-in agent and from a published remote agent alike, with the same verdict. Before the one result path the
/// built-in agent dropped it ("unknown target") and the server rejected it from remote agents.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class AgentRevocationParityTests
{
    [Fact]
    public async Task Run_ChainNamesAnUnlistedCrlServer_BothAgentsStoreItsRowAsRevocationBlocked()
    {
        using var root = CertFactory.CreateRoot("Revocation Parity Root");
        var crlPort = LoopbackTlsServer.ClosedPort(); // nothing answers: the CRL fetch is refused
        using var signed = CertFactory.CreateLeaf(root, ["127.0.0.1"],
            extensions: CertFactory.RevocationExtensions([$"http://127.0.0.1:{crlPort}/parity.crl"], []));
        using var server = new LoopbackTlsServer(X509CertificateLoader.LoadPkcs12(signed.Export(X509ContentType.Pkcs12), null));
        await using var lab = new AgentLab();
        var chains = ExtraRequirements.All.Single(e => e.HostPattern == ExtraRequirements.CertificateChains);
        await DashboardDatabase.CreateAsync(lab.DatabasePath, root.ExportCertificatePem(), 5,
            TestDatabase.Loopback("Private PKI service", server.Port) with { Sources = Sources.ManagementMachine | Sources.ApplianceVm }, chains);
        await lab.StartDashboardAsync(builtInAgent: true);

        var agent = lab.StartPublishedAgent("vm-revocation", "ApplianceVm", Path.Combine(lab.Folder, "vm"), await lab.CreateTokenAsync(), 3600);

        Dictionary<int, (int Verdict, int Reason)> builtIn = [], remote = [];
        await Eventually.WaitAsync(async () =>
        {
            builtIn = await lab.LatestByPortAsync("built-in");
            remote = await lab.LatestByPortAsync("vm-revocation");
            return builtIn.ContainsKey(crlPort) && remote.ContainsKey(crlPort);
        }, TimeSpan.FromSeconds(90), "both agents' rows for the CRL server the chain names", () => agent.Output + lab.Dashboard?.Output);

        Assert.Equal((int)ReasonCode.Ok, builtIn[server.Port].Reason);
        Assert.Equal(((int)Verdict.Fail, (int)ReasonCode.RevocationBlocked), builtIn[crlPort]);
        Assert.Equal(builtIn[crlPort], remote[crlPort]);
        Assert.DoesNotContain("rejected for good", agent.Output, StringComparison.Ordinal);
    }
}
