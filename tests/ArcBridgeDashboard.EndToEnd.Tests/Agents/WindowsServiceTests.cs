namespace ArcBridgeDashboard.EndToEnd.Tests.Agents;

/// <summary>
/// The win-x64 agent as a Windows service (UseWindowsService), under Wine's service control manager: it reports
/// RUNNING, enrols and sweeps as a service, and on `sc stop` shuts down cleanly with everything it produced stored.
/// </summary>
[Trait("Category", "EndToEnd")]
[Collection(AgentProcessesCollection.Name)]
public sealed class WindowsServiceTests
{
    private const string Service = "ArcBridgeAgent";
    private const int TargetCount = 3;

    [Fact]
    public async Task Run_AsWindowsService_ReportsRunningSweepsAndStopsCleanlyLosingNothing()
    {
        var exe = WineServiceHost.AgentExe;
        await using var lab = new AgentLab();
        await lab.StartDashboardAsync();
        await lab.SeedLoopbackTargetsAsync(TargetCount);
        using var wine = new WineServiceHost(lab.Folder);
        var stateDir = Path.Combine(lab.Folder, "service-state");
        var command = $"{WineServiceHost.WindowsPath(exe)} run --server {lab.ServerUrl} --enroll-token {await lab.CreateTokenAsync()} "
            + $"--name winsvc --role ManagementMachine --state-dir {WineServiceHost.WindowsPath(stateDir)} --interval 2";

        var created = await wine.ScAsync("create", Service, "binpath=", command);
        Assert.True((await wine.QueryAsync(Service)).State == "STOPPED", $"sc create: {created}");
        await wine.ScAsync("start", Service);

        // SERVICE_RUNNING is only reported once the host's start handshake with the SCM completed.
        var status = (State: "?", ExitCode: -1, Raw: "");
        await Eventually.WaitAsync(async () => (status = await wine.QueryAsync(Service)).State == "RUNNING",
            TimeSpan.FromSeconds(90), "the service to report RUNNING", () => status.Raw);
        await Eventually.WaitAsync(async () => (await lab.StoredResultsAsync("winsvc")).Rows >= 3 * TargetCount,
            TimeSpan.FromSeconds(90), "three sweeps of results from the service", () => status.Raw + lab.Dashboard!.Output);
        Assert.Contains("Windows", await lab.AgentOsAsync("winsvc") ?? "", StringComparison.Ordinal);
        Assert.Equal("RUNNING", (await wine.QueryAsync(Service)).State); // still up after several sweeps

        await wine.ScAsync("stop", Service);
        await Eventually.WaitAsync(async () => (status = await wine.QueryAsync(Service)).State == "STOPPED",
            TimeSpan.FromSeconds(60), "the service to stop", () => status.Raw);
        Assert.Equal(0, status.ExitCode);

        // A clean stop: the outbox file is intact and every result produced is stored once or still queued for the next start.
        var (produced, pending, dropped) = await AgentOutboxFile.ReadAsync(stateDir);
        var (stored, rows) = await lab.StoredResultsAsync("winsvc");
        Assert.Equal(0, dropped);
        Assert.Equal(stored.Count, rows);
        Assert.Empty(stored.Intersect(pending));
        Assert.True(produced == rows + pending.Count, $"produced {produced}, stored {rows}, pending {pending.Count}");
        await wine.ScAsync("delete", Service);
    }
}
