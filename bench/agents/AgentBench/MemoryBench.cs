using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ArcBridgeDashboard.Bench.Agents;

/// <summary>
/// Resident memory of the agent (published single file) idle and mid-sweep, next to Debian's
/// prometheus-blackbox-exporter with one http module, idle and after probes. Targets are silent loopback
/// listeners, so a sweep stays in its TLS phase until the phase timeout and can be sampled mid-way.
/// </summary>
public static class MemoryBench
{
    private const int TargetCount = 25;

    public static async Task<int> RunAsync(string root)
    {
        using var lab = new BenchLab(root);
        using var stop = new CancellationTokenSource();
        var listeners = Enumerable.Range(0, TargetCount).Select(_ => Silent(stop.Token)).ToList();
        await lab.StartDashboardAsync();
        await lab.SeedLoopbackTargetsAsync(listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port), kind: 0);

        var single = Path.Combine(root, "artifacts", "agent", "linux-x64", "arcbridge-agent");
        var dll = Path.Combine(root, "src", "ArcBridgeDashboard.Agent", "bin", "Release", "net10.0", "arcbridge-agent.dll");
        var (file, prefix) = File.Exists(single) ? (single, Array.Empty<string>()) : ("dotnet", new[] { dll });
        var agent = lab.Start(file, [.. prefix, "run", "--server", lab.Server.ToString(), "--enroll-token", await lab.CreateTokenAsync(),
            "--name", "mem", "--role", "ApplianceVm", "--state-dir", Path.Combine(lab.Folder, "agent"), "--interval", "30"],
            new Dictionary<string, string>(), Path.Combine(lab.Folder, "agent.log"));
        var mid = await PeakAsync(agent, TimeSpan.FromSeconds(4));        // first sweep: all targets waiting in TLS
        await Task.Delay(TimeSpan.FromSeconds(12));
        var idle = await PeakAsync(agent, TimeSpan.FromSeconds(3));       // between sweeps
        var midAgain = await PeakAsync(agent, TimeSpan.FromSeconds(16));  // covers the next scheduled sweep

        var port = BenchLab.FreePort();
        var config = Path.Combine(lab.Folder, "blackbox.yml");
        await File.WriteAllTextAsync(config, "modules:\n  http_2xx:\n    prober: http\n    timeout: 5s\n");
        var exporter = lab.Start("/usr/bin/prometheus-blackbox-exporter", [$"--config.file={config}", $"--web.listen-address=127.0.0.1:{port}"],
            new Dictionary<string, string>(), Path.Combine(lab.Folder, "blackbox.log"));
        await Task.Delay(TimeSpan.FromSeconds(2));
        var bbIdle = Rss(exporter);
        var target = $"http://127.0.0.1:{((IPEndPoint)listeners[0].LocalEndpoint).Port}/";
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var probes = Enumerable.Range(0, TargetCount).Select(_ => http.GetAsync($"http://127.0.0.1:{port}/probe?module=http_2xx&target={Uri.EscapeDataString(target)}")).ToList();
        var bbMid = await PeakAsync(exporter, TimeSpan.FromSeconds(4));
        await Task.WhenAll(probes);

        Console.WriteLine($"memory (RSS, MiB): agent {(file == "dotnet" ? "dll on shared runtime" : "single-file self-contained")}, {TargetCount} targets; blackbox_exporter {TargetCount} concurrent probes");
        Console.WriteLine($"  agent idle      {idle,7:F1}    blackbox idle      {bbIdle,7:F1}    ratio {idle / bbIdle:F2}x");
        Console.WriteLine($"  agent mid-sweep {Math.Max(mid, midAgain),7:F1}    blackbox mid-probe {bbMid,7:F1}    ratio {Math.Max(mid, midAgain) / bbMid:F2}x   (aim <= 1.5x)");
        await stop.CancelAsync();
        foreach (var l in listeners)
            l.Stop();
        return 0;
    }

    private static async Task<double> PeakAsync(Process p, TimeSpan window)
    {
        var peak = 0.0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < window)
        {
            peak = Math.Max(peak, Rss(p));
            await Task.Delay(100);
        }
        return peak;
    }

    private static double Rss(Process p)
    {
        foreach (var line in File.ReadLines($"/proc/{p.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024.0;
        }
        return 0;
    }

    /// <summary>Accepts and holds connections without a byte: every probe waits for its timeout.</summary>
    private static TcpListener Silent(CancellationToken stop)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        _ = Task.Run(async () =>
        {
            var held = new List<TcpClient>();
            try
            {
                while (!stop.IsCancellationRequested)
                    held.Add(await listener.AcceptTcpClientAsync(stop));
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                foreach (var c in held)
                    c.Dispose();
            }
        }, stop);
        return listener;
    }
}
