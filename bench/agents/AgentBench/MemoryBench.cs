using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ArcBridgeDashboard.Bench.Agents;

/// <summary>
/// Resident memory of the published agent (artifacts/agent/linux-x64: NativeAOT, or an older single-file build)
/// idle and mid-sweep, next to Debian's prometheus-blackbox-exporter with one http module, idle and after probes.
/// Targets are silent loopback listeners, so a sweep stays in its TLS phase until the phase timeout and can be
/// sampled mid-way. Mid-sweep is a scheduled sweep; start-up (with the agent's first sweep) is reported apart, for
/// both. With soak seconds, the agent then keeps sweeping every 10 s and its RSS is reported again:
/// allocations and native heaps that only show after many sweeps.
/// </summary>
public static class MemoryBench
{
    private const int TargetCount = 25;

    public static async Task<int> RunAsync(string root, TimeSpan soak)
    {
        using var lab = new BenchLab(root);
        using var stop = new CancellationTokenSource();
        var listeners = Enumerable.Range(0, TargetCount).Select(_ => Silent(stop.Token)).ToList();
        await lab.StartDashboardAsync();
        await lab.SeedLoopbackTargetsAsync(listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port), kind: 0);

        // ARCBRIDGE_BENCH_AGENT measures another build of the agent (e.g. one step of bench/agents/README.md's table).
        var published = Environment.GetEnvironmentVariable("ARCBRIDGE_BENCH_AGENT") is { Length: > 0 } other
            ? Path.GetFullPath(other)
            : Path.Combine(root, "artifacts", "agent", "linux-x64", "arcbridge-agent");
        var dll = Path.Combine(root, "src", "ArcBridgeDashboard.Agent", "bin", "Release", "net10.0", "arcbridge-agent.dll");
        var (file, prefix) = File.Exists(published) ? (published, Array.Empty<string>()) : ("dotnet", new[] { dll });
        var agent = lab.Start(file, [.. prefix, "run", "--server", lab.Server.ToString(), "--enroll-token", await lab.CreateTokenAsync(),
            "--name", "mem", "--role", "ApplianceVm", "--state-dir", Path.Combine(lab.Folder, "agent"), "--interval", "30"],
            new Dictionary<string, string>(), Path.Combine(lab.Folder, "agent.log"));
        // The process's own start-up (about a second, everything it runs once) and its first sweep; reported apart from
        // the steady state, next to the exporter's own start-up.
        var startup = await PeakAsync(agent, TimeSpan.FromSeconds(4));
        await Task.Delay(TimeSpan.FromSeconds(12));
        var idle = await PeakAsync(agent, TimeSpan.FromSeconds(3));       // between sweeps
        var mid = await PeakAsync(agent, TimeSpan.FromSeconds(16));       // covers the next scheduled sweep
        agent.Kill();
        var soaked = soak > TimeSpan.Zero ? await SoakAsync(lab, file, prefix, soak) : ((double Peak, double Low)?)null;

        var port = BenchLab.FreePort();
        var config = Path.Combine(lab.Folder, "blackbox.yml");
        await File.WriteAllTextAsync(config, "modules:\n  http_2xx:\n    prober: http\n    timeout: 5s\n");
        var exporter = lab.Start("/usr/bin/prometheus-blackbox-exporter", [$"--config.file={config}", $"--web.listen-address=127.0.0.1:{port}"],
            new Dictionary<string, string>(), Path.Combine(lab.Folder, "blackbox.log"));
        var bbStartup = await PeakAsync(exporter, TimeSpan.FromSeconds(2));
        var bbIdle = Rss(exporter);
        var target = $"http://127.0.0.1:{((IPEndPoint)listeners[0].LocalEndpoint).Port}/";
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var probes = Enumerable.Range(0, TargetCount).Select(_ => http.GetAsync($"http://127.0.0.1:{port}/probe?module=http_2xx&target={Uri.EscapeDataString(target)}")).ToList();
        var bbMid = await PeakAsync(exporter, TimeSpan.FromSeconds(4));
        await Task.WhenAll(probes);

        Console.WriteLine($"memory (RSS, MiB): agent {Describe(file)}, {TargetCount} targets; blackbox_exporter {TargetCount} concurrent probes");
        Console.WriteLine($"  agent idle      {idle,7:F1}    blackbox idle      {bbIdle,7:F1}    ratio {idle / bbIdle:F2}x");
        Console.WriteLine($"  agent mid-sweep {mid,7:F1}    blackbox mid-probe {bbMid,7:F1}    ratio {mid / bbMid:F2}x   (aim <= 1.5x)");
        Console.WriteLine($"  agent start-up  {startup,7:F1}    blackbox start-up  {bbStartup,7:F1}    ratio {startup / bbStartup:F2}x   (peaks; the agent's includes its first sweep)");
        if (soaked is { } s)
            Console.WriteLine($"  agent after {soak.TotalSeconds:F0} s of sweeps every 10 s: {s.Low:F1} between sweeps, {s.Peak:F1} mid-sweep");
        await stop.CancelAsync();
        foreach (var l in listeners)
            l.Stop();
        return 0;
    }

    /// <summary>A fresh agent sweeping every 10 s for <paramref name="soak"/>; then its RSS over one more sweep: peak and lowest.</summary>
    private static async Task<(double Peak, double Low)> SoakAsync(BenchLab lab, string file, string[] prefix, TimeSpan soak)
    {
        var agent = lab.Start(file, [.. prefix, "run", "--server", lab.Server.ToString(), "--enroll-token", await lab.CreateTokenAsync(),
            "--name", "soak", "--role", "ApplianceVm", "--state-dir", Path.Combine(lab.Folder, "soak"), "--interval", "10"],
            new Dictionary<string, string>(), Path.Combine(lab.Folder, "soak.log"));
        await Task.Delay(soak);
        var (peak, low) = (0.0, double.MaxValue);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            var rss = Rss(agent);
            (peak, low) = (Math.Max(peak, rss), Math.Min(low, rss));
            await Task.Delay(100);
        }
        agent.Kill();
        return (peak, low);
    }

    /// <summary>Which build was measured: NativeAOT output carries a __managedcode section, a single-file bundle does not.</summary>
    private static string Describe(string file)
    {
        if (file == "dotnet")
            return "dll on shared runtime (no published agent)";
        var size = new FileInfo(file).Length / 1024.0 / 1024.0;
        var nativeAot = File.ReadAllBytes(file).AsSpan().IndexOf("__managedcode"u8) >= 0;
        return $"{(nativeAot ? "NativeAOT" : "single-file self-contained")} {file} ({size:F1} MiB)";
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
