using System.Diagnostics;
using System.Globalization;
using System.Net;
using ArcBridgeDashboard.Bench.Common;

namespace ArcBridgeDashboard.Bench.ProbeCost;

/// <summary>
/// `probe-cost [--probes 2000] [--batch 200]`: CPU per HTTPS probe of our engine (separate worker process) against
/// Debian's blackbox_exporter (/probe API), both probing the same loopback Kestrel TLS endpoint, batches interleaved.
/// </summary>
public static class ProbeCostCommand
{
    public static async Task<int> RunAsync(Args args)
    {
        var probes = args.GetInt("probes", 2000);
        var batch = args.GetInt("batch", 200);
        var batches = Math.Max(1, probes / batch);
        var workDir = Path.GetFullPath(args.Get("work", "bench/out/probe-cost"));
        Directory.CreateDirectory(workDir);

        var pki = TestPki.Create(["localhost"], [IPAddress.Loopback]);
        var rootPem = Path.Combine(workDir, "bench-root.pem");
        pki.WriteRootPem(rootPem);
        await using var endpoint = await TlsEndpoint.StartAsync(pki.Leaf, [new IPEndPoint(IPAddress.Loopback, 0)]);
        var port = endpoint.Ports[0];
        var target = $"https://127.0.0.1:{port}/";
        Console.WriteLine($"probe-cost: loopback Kestrel TLS endpoint {target}; {batches} interleaved batches of {batch} probes each side");

        await using var blackbox = await BlackboxExporter.StartAsync(workDir, rootPem, FreePort.Pick());
        using var worker = Process.Start(WorkerInfo(port, rootPem)) ?? throw new InvalidOperationException("could not start the probe worker");
        try
        {
            var ready = await worker.StandardOutput.ReadLineAsync();
            if (ready is null || !ready.StartsWith("ready ", StringComparison.Ordinal)) throw new InvalidOperationException("probe worker did not start");
            var runtime = ready["ready ".Length..];
            using var client = new HttpClient { BaseAddress = blackbox.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
            var probeUrl = $"/probe?module={BlackboxExporter.Module}&target={Uri.EscapeDataString(target)}";

            // Warm-up: JIT and TLS session machinery on our side, goroutine pools and config on theirs.
            var warmOurs = await OursAsync(worker, 100);
            var warmTheirs = await TheirsAsync(client, blackbox.Pid, probeUrl, 100);
            var sample = await client.GetStringAsync(probeUrl);
            var theirVersion = sample.Split('\n').FirstOrDefault(l => l.StartsWith("probe_http_version ", StringComparison.Ordinal)) ?? "probe_http_version ?";
            Console.WriteLine($"warm-up: ours {warmOurs.Pass} pass/{warmOurs.Fail} fail ({warmOurs.FirstFailure}); blackbox {warmTheirs.Pass} pass/{warmTheirs.Fail} fail");

            var ours = new List<Batch>();
            var theirs = new List<Batch>();
            for (var i = 0; i < batches; i++)
            {
                ours.Add(await OursAsync(worker, batch));
                theirs.Add(await TheirsAsync(client, blackbox.Pid, probeUrl, batch));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"batch {i + 1}/{batches}: ours {ours[^1].CpuMsPerProbe:0.000} CPU-ms/probe ({ours[^1].Pass} pass), blackbox {theirs[^1].CpuMsPerProbe:0.000} CPU-ms/probe ({theirs[^1].Pass} pass)"));
            }
            worker.StandardInput.Close();

            var floor = await BaselineAsync(port);
            var oursMedian = Stats.Median(ours.Select(b => b.CpuMsPerProbe).ToList());
            var theirsMedian = Stats.Median(theirs.Select(b => b.CpuMsPerProbe).ToList());
            var ratio = oursMedian / theirsMedian;
            new ResultBlock("probe-cost")
                .Add("endpoint", $"{target} (Kestrel, HTTP/1.1+h2, bench-made ECDSA P-256 chain)")
                .Add("probes per side", $"{ours.Sum(b => b.Pass + b.Fail)} ours, {theirs.Sum(b => b.Pass + b.Fail)} blackbox ({batches} interleaved batches of {batch}, sequential, new connection each)")
                .Add("ours CPU-ms/probe", $"median {oursMedian:0.000} (batches {Range(ours)}); pass {ours.Sum(b => b.Pass)}, fail {ours.Sum(b => b.Fail)}")
                .Add("blackbox CPU-ms/probe", $"median {theirsMedian:0.000} (batches {Range(theirs)}); probe_success=1 {theirs.Sum(b => b.Pass)}, other {theirs.Sum(b => b.Fail)}")
                .Add("ours wall ms/probe", $"median {Stats.Median(ours.Select(b => b.WallMsPerProbe).ToList()):0.000}")
                .Add("blackbox wall ms/probe", $"median {Stats.Median(theirs.Select(b => b.WallMsPerProbe).ToList()):0.000} (incl. /probe HTTP round trip)")
                .Add("how measured", "ours: worker process TotalProcessorTime; blackbox: /proc/<pid>/stat utime+stime (10 ms ticks); TLS server CPU in neither")
                .Add("ours runtime (agent's settings)", runtime)
                .Add(".NET runtime floor (same endpoint)", floor)
                .Add("blackbox", $"{blackbox.Version}; {theirVersion}")
                .Add("fairness", "same endpoint and root; both verify the chain against it; both full TLS handshakes (ours AllowTlsResume=false; blackbox makes a new Go client per probe with no session cache); both negotiate h2 via ALPN")
                .Add("ours sample outcome", ours.Last().FirstFailure)
                .Add("ratio ours/blackbox (CPU per probe)", $"{ratio:0.00}x")
                .Add("aim ours <= 1.0x blackbox", ResultBlock.Aim(ratio <= 1.0))
                .Print();
            return 0;
        }
        finally
        {
            if (!worker.HasExited) { worker.Kill(); await worker.WaitForExitAsync(); }
        }
    }

    /// <summary>The same endpoint through bare .NET sockets/SslStream/HttpClient (separate process): what any .NET probe costs.</summary>
    private static async Task<string> BaselineAsync(int port)
    {
        var info = SelfProcess.StartInfo("probe-baseline", ["--port", port.ToString(CultureInfo.InvariantCulture), "--count", "400"]);
        info.RedirectStandardOutput = true;
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the baseline worker");
        var output = await process.StandardOutput.ReadToEndAsync().WaitAsync(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync();
        return string.Join("; ", output.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(2));
    }

    private static string Range(List<Batch> batches)
        => string.Create(CultureInfo.InvariantCulture, $"{batches.Min(b => b.CpuMsPerProbe):0.000}-{batches.Max(b => b.CpuMsPerProbe):0.000}");

    private static ProcessStartInfo WorkerInfo(int port, string rootPem)
    {
        var info = SelfProcess.StartInfo("probe-worker", ["--port", port.ToString(CultureInfo.InvariantCulture), "--root", rootPem]);
        info.RedirectStandardInput = true;
        info.RedirectStandardOutput = true;
        return info;
    }

    private static async Task<Batch> OursAsync(Process worker, int count)
    {
        await worker.StandardInput.WriteLineAsync(count.ToString(CultureInfo.InvariantCulture));
        await worker.StandardInput.FlushAsync();
        var line = await worker.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(120))
            ?? throw new InvalidOperationException("probe worker ended early");
        var parts = line.Split(' ');
        var cpu = double.Parse(parts[0], CultureInfo.InvariantCulture);
        var wall = double.Parse(parts[1], CultureInfo.InvariantCulture);
        return new Batch(cpu / count, wall / count, int.Parse(parts[2], CultureInfo.InvariantCulture), int.Parse(parts[3], CultureInfo.InvariantCulture), parts[4]);
    }

    private static async Task<Batch> TheirsAsync(HttpClient client, int pid, string probeUrl, int count)
    {
        int pass = 0, fail = 0;
        var cpu = ProcCpu.CpuMs(pid);
        var wall = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var body = await client.GetStringAsync(probeUrl);
            if (body.Contains("\nprobe_success 1", StringComparison.Ordinal)) pass++; else fail++;
        }
        var elapsed = wall.Elapsed.TotalMilliseconds;
        return new Batch((ProcCpu.CpuMs(pid) - cpu) / count, elapsed / count, pass, fail, "-");
    }

    private sealed record Batch(double CpuMsPerProbe, double WallMsPerProbe, int Pass, int Fail, string FirstFailure);
}
