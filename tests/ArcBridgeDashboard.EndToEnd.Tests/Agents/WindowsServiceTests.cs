namespace ArcBridgeDashboard.EndToEnd.Tests.Agents;

/// <summary>
/// The win-x64 agent as a Windows service (UseWindowsService), under Wine's service control manager: it reports
/// RUNNING, enrols and sweeps as a service, and on `sc stop` shuts down cleanly with everything it produced stored.
/// </summary>
[Trait("Category", "EndToEnd")]
[Trait("Lane", "Windows")] // ./test.sh --windows (and CI); the default run leaves it out
public sealed class WindowsServiceTests
{
    private const string Service = "ArcBridgeAgent";
    private const int TargetCount = 3;

    /// <summary>How long a wait accepts no progress at all: far longer than any step takes when the service works.</summary>
    private static readonly TimeSpan Stall = TimeSpan.FromSeconds(90);

    /// <summary>A bound on each wait even while it progresses, so the test ends well within the run's 10-minute hang timeout.</summary>
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Run_AsWindowsService_ReportsRunningSweepsAndStopsCleanlyLosingNothing()
    {
        var exe = WineServiceHost.AgentExe;
        await using var lab = new AgentLab();
        await lab.StartDashboardAsync();
        await lab.SeedLoopbackTargetsAsync(TargetCount);
        using var wine = new WineServiceHost(lab.Folder);
        var stateDir = Path.Combine(lab.Folder, "service-state");
        var command = $"{WineServiceHost.WindowsPath(exe)} run --server {lab.ServerUrl} --insecure-http --enroll-token {await lab.CreateTokenAsync()} "
            + $"--name winsvc --role ManagementMachine --state-dir {WineServiceHost.WindowsPath(stateDir)} --interval 2";

        var created = await wine.ScAsync("create", Service, "binpath=", command);
        Assert.True((await wine.QueryAsync(Service)).State == "STOPPED", $"sc create: {created}");
        await wine.ScAsync("start", Service);

        // Wine, the .NET runtime and the agent start slowly on a busy machine: each wait goes on while something moves
        // (the service's state, Wine's log, rows stored) and fails only when nothing has for Stall (or after Limit).
        // SERVICE_RUNNING is only reported once the host's start handshake with the SCM completed.
        var status = (State: "?", ExitCode: -1, Raw: "");
        await Eventually.WaitWhileProgressingAsync(async () =>
        {
            status = await wine.QueryAsync(Service);
            return (status.State == "RUNNING", $"state {status.State}, wine log {wine.LogLength} bytes");
        }, Stall, Limit, "the service to report RUNNING", () => status.Raw);
        // Every pass the agent runs is filed as a sweep; the last result of a pass closes it (FinishedAt).
        // Three finished sweeps, with a result per target each.
        await Eventually.WaitWhileProgressingAsync(async () =>
        {
            var sweeps = await lab.SweepsAsync("winsvc");
            var finished = sweeps.Count(s => s.Finished);
            var (_, rows) = await lab.StoredResultsAsync("winsvc");
            var enrolled = await lab.AgentOsAsync("winsvc") is not null;
            return (finished >= 3 && rows >= 3 * TargetCount, $"enrolled {enrolled}, {finished} of {sweeps.Count} sweeps finished, {rows} results, wine log {wine.LogLength} bytes");
        }, Stall, Limit, "three finished sweeps of results from the service", () => status.Raw + lab.Dashboard!.Output);
        Assert.Contains("Windows", await lab.AgentOsAsync("winsvc") ?? "", StringComparison.Ordinal);
        Assert.Equal("RUNNING", (await wine.QueryAsync(Service)).State); // still up after several sweeps

        await wine.ScAsync("stop", Service);
        await Eventually.WaitWhileProgressingAsync(async () =>
        {
            status = await wine.QueryAsync(Service);
            return (status.State == "STOPPED", $"state {status.State}, wine log {wine.LogLength} bytes");
        }, Stall, Limit, "the service to stop", () => status.Raw);
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
