using System.Diagnostics;
using System.Globalization;
using System.Net;
using ArcBridgeDashboard.Bench.Common;

namespace ArcBridgeDashboard.Bench.ProbeCost;

/// <summary>
/// `probe-cost [--probes 2000] [--batch 200] [--max-warmup 10000]`: CPU per HTTPS probe of our engine (separate worker
/// process) against Debian's blackbox_exporter (/probe API), both probing the same loopback Kestrel TLS endpoint, with
/// the bare .NET floor (same steps without the engine) as a third side; batches interleaved, order rotated.
/// </summary>
public static class ProbeCostCommand
{
    private const int WarmupRound = 100;
    private const int QuietRounds = 5;

    public static async Task<int> RunAsync(Args args)
    {
        var probes = args.GetInt("probes", 2000);
        var batch = args.GetInt("batch", 200);
        var batches = Math.Max(1, probes / batch);
        var maxWarmup = args.GetInt("max-warmup", 10_000);
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
        await using var ours = await WorkerProcess.StartAsync("probe-worker", port, rootPem);
        await using var floor = await WorkerProcess.StartAsync("probe-baseline", port, rootPem);
        using var client = new HttpClient { BaseAddress = blackbox.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var probeUrl = $"/probe?module={BlackboxExporter.Module}&target={Uri.EscapeDataString(target)}";
        var sides = new (string Name, Func<int, Task<Batch>> Run)[]
        {
            ("ours", ours.RunAsync),
            ("floor", floor.RunAsync),
            ("blackbox", n => TheirsAsync(client, blackbox.Pid, probeUrl, n)),
        };

        // Warm-up until .NET's tiered JIT has settled on both .NET sides: it recompiles the hot methods (tier 0,
        // instrumented, tier 1) in waves for the first few thousand probes, seconds of CPU in all. The aim is the steady
        // cost of a long-running agent; that JIT is a one-off at start-up, reported apart instead of being smeared over
        // the measured probes. Go has no JIT: blackbox gets a short warm-up (connection pools, goroutines).
        var warm = new Dictionary<string, List<Batch>> { ["ours"] = [], ["floor"] = [], ["blackbox"] = [] };
        warm["blackbox"].Add(await sides[2].Run(2 * WarmupRound));
        var quietRounds = 0;
        while (quietRounds < QuietRounds && warm["ours"].Count * WarmupRound < maxWarmup)
        {
            foreach (var (name, run) in sides[..2])
                warm[name].Add(await run(WarmupRound));
            quietRounds = warm["ours"][^1].JitMethods <= 2 && warm["floor"][^1].JitMethods <= 2 ? quietRounds + 1 : 0;
        }
        var warmed = warm["ours"].Count * WarmupRound;
        var settled = quietRounds >= QuietRounds;
        var sample = await client.GetStringAsync(probeUrl);
        var theirVersion = sample.Split('\n').FirstOrDefault(l => l.StartsWith("probe_http_version ", StringComparison.Ordinal)) ?? "probe_http_version ?";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"warm-up: {warmed} probes per .NET side, JIT {(settled ? "settled" : "still compiling")}; JIT time ours {warm["ours"].Sum(b => b.JitMs):0} ms, floor {warm["floor"].Sum(b => b.JitMs):0} ms; " +
            $"first 100 of ours {warm["ours"][0].CpuMsPerProbe:0.000} CPU-ms/probe ({warm["ours"][0].FirstOutcome}), blackbox {warm["blackbox"].Sum(b => b.Pass)} pass/{warm["blackbox"].Sum(b => b.Fail)} fail"));

        var measured = new Dictionary<string, List<Batch>> { ["ours"] = [], ["floor"] = [], ["blackbox"] = [] };
        for (var i = 0; i < batches; i++)
        {
            // Rotating the order spreads any drift in the machine's load evenly over the three sides.
            for (var s = 0; s < sides.Length; s++)
            {
                var (name, run) = sides[(i + s) % sides.Length];
                measured[name].Add(await run(batch));
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"batch {i + 1}/{batches}: ours {measured["ours"][^1].CpuMsPerProbe:0.000}, floor {measured["floor"][^1].CpuMsPerProbe:0.000}, blackbox {measured["blackbox"][^1].CpuMsPerProbe:0.000} CPU-ms/probe"));
        }

        var oursMedian = Median(measured["ours"]);
        var floorMedian = Median(measured["floor"]);
        var theirsMedian = Median(measured["blackbox"]);
        var ratio = oursMedian / theirsMedian;
        new ResultBlock("probe-cost")
            .Add("endpoint", $"{target} (Kestrel, HTTP/1.1+h2, bench-made ECDSA P-256 chain)")
            .Add("probes per side", $"{measured["ours"].Sum(b => b.Pass + b.Fail)} ours, {measured["floor"].Sum(b => b.Pass + b.Fail)} floor, {measured["blackbox"].Sum(b => b.Pass + b.Fail)} blackbox ({batches} interleaved batches of {batch}, sequential, new connection each)")
            .Add("warm-up", $"{warmed} probes per .NET side (blackbox {2 * WarmupRound}) until the .NET JIT {(settled ? $"settled (≤ 2 methods compiled in each of {QuietRounds} rounds of {WarmupRound} running)" : $"still compiled (cap --max-warmup {maxWarmup})")}; JIT time: ours {warm["ours"].Sum(b => b.JitMs):0} ms, floor {warm["floor"].Sum(b => b.JitMs):0} ms; ours over those first probes, JIT included: {warm["ours"].Average(b => b.CpuMsPerProbe):0.000} CPU-ms/probe")
            .Add("ours CPU-ms/probe", $"median {oursMedian:0.000} (batches {Range(measured["ours"])}); pass {measured["ours"].Sum(b => b.Pass)}, fail {measured["ours"].Sum(b => b.Fail)}; JIT meanwhile {measured["ours"].Sum(b => b.JitMs):0} ms")
            .Add("blackbox CPU-ms/probe", $"median {theirsMedian:0.000} (batches {Range(measured["blackbox"])}); probe_success=1 {measured["blackbox"].Sum(b => b.Pass)}, other {measured["blackbox"].Sum(b => b.Fail)}")
            .Add(".NET floor CPU-ms/probe", $"median {floorMedian:0.000} (batches {Range(measured["floor"])}): socket + SslStream (same chain check) + h2 GET, no engine; ours - floor {oursMedian - floorMedian:+0.000;-0.000}")
            .Add("ours wall ms/probe", $"median {Stats.Median(measured["ours"].Select(b => b.WallMsPerProbe).ToList()):0.000}")
            .Add("blackbox wall ms/probe", $"median {Stats.Median(measured["blackbox"].Select(b => b.WallMsPerProbe).ToList()):0.000} (incl. /probe HTTP round trip)")
            .Add("how measured", "ours, floor: worker process TotalProcessorTime (all threads, JIT included); blackbox: /proc/<pid>/stat utime+stime (10 ms ticks); TLS server CPU in none")
            .Add("ours runtime (agent's settings)", ours.Runtime)
            .Add("blackbox", $"{blackbox.Version}; {theirVersion}")
            .Add("fairness", "same endpoint and root; all verify the chain against it; all full TLS handshakes (ours AllowTlsResume=false; blackbox makes a new Go client per probe with no session cache); all negotiate h2 via ALPN")
            .Add("ours sample outcome", measured["ours"].Last().FirstOutcome)
            .Add("ratio ours/blackbox (CPU per probe)", $"{ratio:0.00}x")
            .Add("aim ours <= 1.0x blackbox", ResultBlock.Aim(ratio <= 1.0))
            .Print();
        return 0;
    }

    private static double Median(List<Batch> batches) => Stats.Median(batches.Select(b => b.CpuMsPerProbe).ToList());

    private static string Range(List<Batch> batches)
        => string.Create(CultureInfo.InvariantCulture, $"{batches.Min(b => b.CpuMsPerProbe):0.000}-{batches.Max(b => b.CpuMsPerProbe):0.000}");

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
        return new Batch((ProcCpu.CpuMs(pid) - cpu) / count, elapsed / count, pass, fail, 0, 0, "-");
    }
}
