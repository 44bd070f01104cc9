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
[Collection(AgentProcessesCollection.Name)]
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

        // check: the dashboard's own HTTPS port is the one TLS endpoint of a one-row allowlist.
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
    public async Task PublishedNativeAgent_BetweenSweeps_HandsBackItsExecutablePages_AndKeepsSweeping()
    {
        await using var lab = new AgentLab();
        await lab.StartDashboardAsync();
        // TLS targets whose handshakes fail, the same way every time (the listener reads the ClientHello and closes): a
        // sweep that runs TLS code and throws faults back about two thirds of the executable's read-only image; only a
        // release after the sweep brings it below half.
        await lab.SeedLoopbackTargetsAsync(3, kind: ProbeKind.Https);
        var run = lab.StartPublishedAgent("idle", "ApplianceVm", Path.Combine(lab.Folder, "idle"), await lab.CreateTokenAsync(), 20);
        await Eventually.WaitAsync(async () => (await lab.StoredResultsAsync("idle")).Rows >= 3, TimeSpan.FromSeconds(60), "the first sweep", () => run.Output);

        // Without the release after each sweep about two thirds of the executable's read-only pages stay resident (64-65 %
        // with only the start-up release; 89 % with none).
        var lowest = 1.0;
        await Eventually.WaitAsync(() => Task.FromResult((lowest = Math.Min(lowest, ResidentShareOfImage(run.Id))) < 0.5), TimeSpan.FromSeconds(15),
            "the idle agent to drop most of its executable's pages", () => $"lowest resident share {lowest:P0}\n{run.Output}");

        // The pages come back as the next scheduled sweep needs them.
        await Eventually.WaitAsync(async () => (await lab.StoredResultsAsync("idle")).Rows >= 6, TimeSpan.FromSeconds(60), "the second sweep", () => run.Output);
        Assert.False(run.HasExited, run.Output);
    }

    /// <summary>Resident share of the read-only mappings (code and read-only data) of the process's own executable.</summary>
    private static double ResidentShareOfImage(int pid)
    {
        // smaps names the file the kernel resolved (no symbolic links).
        var executable = File.ResolveLinkTarget($"/proc/{pid}/exe", returnFinalTarget: true)?.FullName ?? Path.GetFullPath(Binaries.PublishedAgent);
        long size = 0, resident = 0;
        var counting = false;
        foreach (var line in File.ReadLines($"/proc/{pid}/smaps"))
        {
            var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 5 && fields[0].Contains('-', StringComparison.Ordinal) && !fields[0].EndsWith(':'))
                counting = fields.Length == 6 && fields[5].Trim() == executable && fields[1] is "r--p" or "r-xp";
            else if (counting && fields[0] == "Size:")
                size += long.Parse(fields[1], CultureInfo.InvariantCulture);
            else if (counting && fields[0] == "Rss:")
                resident += long.Parse(fields[1], CultureInfo.InvariantCulture);
        }
        Assert.True(size > 0, $"no read-only mapping of {executable} in process {pid}");
        return (double)resident / size;
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
