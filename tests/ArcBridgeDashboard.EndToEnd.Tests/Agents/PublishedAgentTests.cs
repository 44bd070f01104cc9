using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ArcBridgeDashboard.Probes.Contracts;

namespace ArcBridgeDashboard.EndToEnd.Tests.Agents;

/// <summary>
/// The linux-x64 agent ships as a NativeAOT binary: no JIT, no reflection-based JSON. Everything else runs the JIT
/// build (`dotnet arcbridge-agent.dll`), so this runs the published binary itself, `check` and `run`, and would catch
/// a contract or dependency that only works through reflection.
/// </summary>
[Trait("Category", "EndToEnd")]
[Collection(Support.TimedCollection.Name)]
public sealed class PublishedAgentTests
{
    [Fact]
    public async Task PublishedNativeAgent_ChecksATlsEndpointAndRunsAgainstTheDashboard()
    {
        var agent = Binaries.PublishedAgent;
        Assert.True(IsNativeAot(agent), $"{agent} is not a NativeAOT build (no __managedcode section)");
        // Single file: nothing to carry beside it (SQLite for the outbox is linked in).
        Assert.Equal(["arcbridge-agent"], Directory.GetFiles(Path.GetDirectoryName(agent)!).Select(Path.GetFileName).Order());
        await using var lab = new AgentLab(https: true);
        await lab.StartDashboardAsync();
        await lab.SeedLoopbackTargetsAsync(3);
        var ca = lab.Tls!.WriteRootPem(lab.Folder);

        // check: the dashboard's own HTTPS port is the one TLS endpoint of a one-row allowlist. Its first page render
        // (JIT, Razor, EF model) once took longer than check's 5 s HTTP phase on a loaded machine: render it once first,
        // so the check measures the agent, not the dashboard's cold start.
        using (var warm = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator }) { Timeout = TimeSpan.FromSeconds(120) })
            (await warm.GetAsync(lab.ServerUrl)).EnsureSuccessStatusCode();
        var catalog = WriteAllowlist(lab.Folder, lab.Port);
        var (exit, stdout, stderr) = await RunToEndAsync(agent,
            ["check", "--catalog", catalog, "--format", "json", "--role", "ApplianceVm", "--blob-registry", "off", "--timeout", "5", "--trust-ca", ca, "--expected-root", ca],
            TimeSpan.FromSeconds(60));
        Assert.True(exit == 0, $"exit {exit}\n{stdout}\n{stderr}");
        using var report = JsonDocument.Parse(stdout);
        Assert.Equal(1, report.RootElement.GetProperty("summary").GetProperty("passed").GetInt32());
        var result = report.RootElement.GetProperty("results")[0];
        Assert.Equal("Pass", result.GetProperty("verdict").GetString());
        Assert.Equal(lab.Port, result.GetProperty("port").GetInt32());
        Assert.Equal("CN=127.0.0.1", result.GetProperty("details").GetProperty("tls").GetProperty("chain")[0].GetProperty("subject").GetString());
        Assert.True(result.GetProperty("timingsMs").TryGetProperty("tls", out _), result.ToString());

        // run: enrol over HTTPS (private root), hold the live connection, push results into the dashboard's database.
        var run = lab.StartPublishedAgent("native", "ApplianceVm", Path.Combine(lab.Folder, "native"), await lab.CreateTokenAsync(), 1, "--server-ca", ca);
        await Eventually.WaitAsync(async () => (await lab.StoredResultsAsync("native")).Rows >= 6, TimeSpan.FromSeconds(90), "results from the published agent", () => run.Output);
        var latest = await lab.LatestByPortAsync("native");
        Assert.Equal(lab.TargetPorts.Order(), latest.Keys.Order());
        Assert.Contains("Live connection to the dashboard is up", run.Output);
        // A hub call the compiled JSON could not serialise (heartbeat, check-now catch-up) would log this or end the process.
        Assert.DoesNotContain("Live connection: ", run.Output);
        Assert.False(run.HasExited, run.Output);
    }

    [Fact]
    public async Task PublishedNativeAgent_AfterASweepOfFailingHandshakes_SweepsAgainAndItsResultsLand()
    {
        await using var lab = new AgentLab();
        await lab.StartDashboardAsync();
        // TLS targets whose handshakes fail, the same way every time (the listener reads the ClientHello and closes):
        // every probe of the sweep ends in an exception inside SslStream, and the agent must come out of it sweeping.
        await lab.SeedLoopbackTargetsAsync(3, kind: ProbeKind.Https);
        var run = lab.StartPublishedAgent("idle", "ApplianceVm", Path.Combine(lab.Folder, "idle"), await lab.CreateTokenAsync(), 20);
        await Eventually.WaitAsync(async () => (await lab.StoredResultsAsync("idle")).Rows >= 3, TimeSpan.FromSeconds(60), "the first sweep", () => run.Output);

        // The next scheduled sweep runs and its results land too.
        await Eventually.WaitAsync(async () => (await lab.StoredResultsAsync("idle")).Rows >= 6, TimeSpan.FromSeconds(60), "the second sweep", () => run.Output);
        Assert.False(run.HasExited, run.Output);
    }

    /// <summary>NativeAOT output carries its compiled managed code in a section of this name; a single-file bundle does not.</summary>
    private static bool IsNativeAot(string path)
    {
        var marker = Encoding.ASCII.GetBytes("__managedcode");
        return File.ReadAllBytes(path).AsSpan().IndexOf(marker) >= 0;
    }

    private static string WriteAllowlist(string folder, int port)
    {
        string[] lines =
        [
            "---", "ms.topic: include", "ms.date: 07/01/2025", "---", "",
            "|**Service**|**Port**|**URL**|**Direction**|**Notes**|", "|--|--|--|--|--|",
            $"|Loopback dashboard| {port.ToString(CultureInfo.InvariantCulture)} | `127.0.0.1`| Appliance VM IPs need outbound connection. | e2e |",
        ];
        var path = Path.Combine(folder, "allowlist.md");
        File.WriteAllText(path, string.Join("\n", lines) + "\n");
        return path;
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunToEndAsync(string file, string[] args, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{Path.GetFileName(file)} {string.Join(' ', args)} did not finish within {timeout.TotalSeconds} s");
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
