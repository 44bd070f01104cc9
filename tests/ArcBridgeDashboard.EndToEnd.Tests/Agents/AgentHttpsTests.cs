namespace ArcBridgeDashboard.EndToEnd.Tests.Agents;

/// <summary>The agent talks to the dashboard over HTTPS with a private-PKI certificate it trusts only through --server-ca.</summary>
[Trait("Category", "EndToEnd")]
public sealed class AgentHttpsTests
{
    [Fact]
    public async Task Run_HttpsDashboardWithPrivateRoot_EnrolsPushesAndHoldsLiveConnectionOnlyWithItsServerCa()
    {
        await using var lab = new AgentLab(https: true);
        await lab.StartDashboardAsync();
        await lab.SeedLoopbackTargetsAsync(4);

        var untrusting = lab.StartAgent("no-ca", "ApplianceVm", Path.Combine(lab.Folder, "no-ca"), await lab.CreateTokenAsync(), 1);
        await Eventually.WaitAsync(() => Task.FromResult(untrusting.HasExited), TimeSpan.FromSeconds(60), "the agent without --server-ca to give up", () => untrusting.Output);
        Assert.Equal(1, untrusting.ExitCode);
        Assert.Contains("cannot reach", untrusting.Output);

        // A root given with --server-ca replaces the system store; one that did not issue the dashboard's certificate is refused.
        using var otherPki = DashboardCertificate.Create(System.Net.IPAddress.Loopback);
        var otherRoot = otherPki.WriteRootPem(Directory.CreateDirectory(Path.Combine(lab.Folder, "other-pki")).FullName);
        var mistrusting = lab.StartAgent("other-ca", "ApplianceVm", Path.Combine(lab.Folder, "other-ca"), await lab.CreateTokenAsync(), 1, "--server-ca", otherRoot);
        await Eventually.WaitAsync(() => Task.FromResult(mistrusting.HasExited), TimeSpan.FromSeconds(60), "the agent trusting another root to give up", () => mistrusting.Output);
        Assert.Equal(1, mistrusting.ExitCode);
        Assert.Contains("cannot reach", mistrusting.Output);

        var ca = lab.Tls!.WriteRootPem(lab.Folder);
        var agent = lab.StartAgent("with-ca", "ApplianceVm", Path.Combine(lab.Folder, "with-ca"), await lab.CreateTokenAsync(), 1, "--server-ca", ca);
        await Eventually.WaitAsync(async () => (await lab.StoredResultsAsync("with-ca")).Rows >= 8, TimeSpan.FromSeconds(90), "results over HTTPS", () => agent.Output);
        Assert.Contains("Live connection to the dashboard is up", agent.Output);
        Assert.StartsWith("https://", lab.ServerUrl.ToString());
    }
}
