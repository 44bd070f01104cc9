using System.Diagnostics;
using System.Globalization;
using System.Net;
using ArcBridgeDashboard.Bench.Common;

namespace ArcBridgeDashboard.Bench.ProbeCost;

/// <summary>
/// `probe-cost [--probes 2000] [--batch 200] [--max-warmup 10000] [--aot-worker PATH]`: CPU per HTTPS probe of our
/// engine against Debian's blackbox_exporter (/probe API), all probing the same loopback Kestrel TLS endpoint. Our
/// engine runs twice, each in its own worker process: built with the agent's linux-x64 publish profile (NativeAOT, as
/// the agent ships; bench/run.sh publishes it) and JIT-compiled at steady state. The bare .NET floor (same steps
/// without the engine) is a fourth side. Batches interleaved, order rotated.
/// </summary>
public static class ProbeCostCommand
{
    private const int WarmupRound = 100;
    private const int QuietRounds = 5;
    private const string DefaultAotWorker = "bench/out/probe-worker-aot/arcbridge-probe-worker";

    private sealed record Side(string Key, string Label, Func<int, Task<Batch>> Run, bool Jit)
    {
        public List<Batch> Warm { get; } = [];
        public List<Batch> Measured { get; } = [];
        public double Median => Stats.Median(Measured.Select(b => b.CpuMsPerProbe).ToList());
        public int Probes => Measured.Sum(b => b.Pass + b.Fail);
        public double Mean => Measured.Sum(b => b.CpuMsPerProbe * (b.Pass + b.Fail)) / Probes;
        public int WarmProbes => Warm.Sum(b => b.Pass + b.Fail);
        public double WarmMean => Warm.Sum(b => b.CpuMsPerProbe * (b.Pass + b.Fail)) / WarmProbes;
    }

    public static async Task<int> RunAsync(Args args)
    {
        var probes = args.GetInt("probes", 2000);
        var batch = args.GetInt("batch", 200);
        var batches = Math.Max(1, probes / batch);
        var maxWarmup = args.GetInt("max-warmup", 10_000);
        var workDir = Path.GetFullPath(args.Get("work", "bench/out/probe-cost"));
        var aotWorker = Path.GetFullPath(args.Get("aot-worker", DefaultAotWorker));
        if (!File.Exists(aotWorker))
            throw new InvalidOperationException($"no published probe worker at {aotWorker}: bench/run.sh probe-cost publishes it");
        Directory.CreateDirectory(workDir);

        var pki = TestPki.Create(["localhost"], [IPAddress.Loopback]);
        var rootPem = Path.Combine(workDir, "bench-root.pem");
        pki.WriteRootPem(rootPem);
        await using var endpoint = await TlsEndpoint.StartAsync(pki.Leaf, [new IPEndPoint(IPAddress.Loopback, 0)]);
        var port = endpoint.Ports[0];
        var target = $"https://127.0.0.1:{port}/";
        Console.WriteLine($"probe-cost: loopback Kestrel TLS endpoint {target}; {batches} interleaved batches of {batch} probes each side");

        await using var blackbox = await BlackboxExporter.StartAsync(workDir, rootPem, FreePort.Pick());
        await using var shipped = await WorkerProcess.StartExecutableAsync(aotWorker, port, rootPem);
        // The published worker carries the agent's globalization mode (bench/run.sh reads it from the agent's project);
        // the JIT workers take it from there rather than from the bench's own project.
        await using var ours = await WorkerProcess.StartAsync("probe-worker", port, rootPem, shipped.IsInvariantGlobalization);
        await using var floor = await WorkerProcess.StartAsync("probe-baseline", port, rootPem, shipped.IsInvariantGlobalization);
        await using var withPost = await WorkerProcess.StartAsync("probe-worker-post", port, rootPem, shipped.IsInvariantGlobalization);
        using var client = new HttpClient { BaseAddress = blackbox.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var probeUrl = $"/probe?module={BlackboxExporter.Module}&target={Uri.EscapeDataString(target)}";
        // Should the linux-x64 profile build a JIT executable (single-file) instead of NativeAOT: say so, warm it up as JIT.
        var aot = new Side(
            shipped.IsNativeAot ? "aot" : "shipped",
            shipped.IsNativeAot ? "ours (NativeAOT, as shipped on linux-x64)" : "ours (linux-x64 publish profile: JIT, not NativeAOT)",
            shipped.RunAsync, Jit: !shipped.IsNativeAot);
        var jit = new Side("jit", "ours (JIT, steady state)", ours.RunAsync, Jit: true);
        var baseline = new Side("floor", ".NET floor (JIT, steady state)", floor.RunAsync, Jit: true);
        // What the data planes' extra request costs: the same probe plus the 4 KB HTTP/2 POST on the same connection.
        var post = new Side("post", "ours (JIT) + HTTP/2 POST of 4 KB", withPost.RunAsync, Jit: true);
        var theirs = new Side("blackbox", "blackbox_exporter", n => TheirsAsync(client, blackbox.Pid, probeUrl, n), Jit: false);
        Side[] sides = [aot, jit, baseline, theirs, post];

        // Warm-up until .NET's tiered JIT has settled on the JIT sides: it recompiles the hot methods (tier 0,
        // instrumented, tier 1) in waves for the first few thousand probes, seconds of CPU in all. The aim is the steady
        // cost of a long-running agent; that JIT is a one-off at start-up, reported apart instead of being smeared over
        // the measured probes. NativeAOT and Go compile ahead of time: a short warm-up (connection pools, first-use
        // initialisation) and their figure covers every probe after it.
        foreach (var side in sides.Where(s => !s.Jit))
            side.Warm.Add(await side.Run(2 * WarmupRound));
        var jitSides = sides.Where(s => s.Jit).ToArray();
        var quietRounds = 0;
        while (quietRounds < QuietRounds && jit.Warm.Count * WarmupRound < maxWarmup)
        {
            foreach (var side in jitSides)
                side.Warm.Add(await side.Run(WarmupRound));
            quietRounds = jitSides.All(s => s.Warm[^1].JitMethods <= 2) ? quietRounds + 1 : 0;
        }
        var warmed = jit.Warm.Count * WarmupRound;
        var settled = quietRounds >= QuietRounds;
        var sample = await client.GetStringAsync(probeUrl);
        var theirVersion = sample.Split('\n').FirstOrDefault(l => l.StartsWith("probe_http_version ", StringComparison.Ordinal)) ?? "probe_http_version ?";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"warm-up: {aot.Key} {aot.WarmProbes} probes ({aot.WarmMean:0.000} CPU-ms/probe from start, {aot.Warm[0].FirstOutcome}); " +
            $"JIT sides ({string.Join(", ", jitSides.Select(s => s.Key))}) {warmed} probes each, JIT {(settled ? "settled" : "still compiling")}: JIT time jit {jit.Warm.Sum(b => b.JitMs):0} ms, floor {baseline.Warm.Sum(b => b.JitMs):0} ms; " +
            $"first 100 of jit {jit.Warm[0].CpuMsPerProbe:0.000} CPU-ms/probe ({jit.Warm[0].FirstOutcome}); blackbox {theirs.Warm.Sum(b => b.Pass)} pass/{theirs.Warm.Sum(b => b.Fail)} fail"));

        for (var i = 0; i < batches; i++)
        {
            // Rotating the order spreads any drift in the machine's load evenly over the sides.
            for (var s = 0; s < sides.Length; s++)
            {
                var side = sides[(i + s) % sides.Length];
                side.Measured.Add(await side.Run(batch));
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"batch {i + 1}/{batches}: {string.Join(", ", sides.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Key} {s.Measured[^1].CpuMsPerProbe:0.000}")))} CPU-ms/probe"));
        }

        var ratio = aot.Median / theirs.Median;
        var jitRatio = jit.Median / theirs.Median;
        new ResultBlock("probe-cost")
            .Add("endpoint", $"{target} (Kestrel, HTTP/1.1+h2, bench-made ECDSA P-256 chain)")
            .Add("probes per side", $"{string.Join(", ", sides.Select(s => $"{s.Probes} {s.Key}"))} ({batches} interleaved batches of {batch}, sequential, new connection each)")
            .Add("warm-up", string.Create(CultureInfo.InvariantCulture, $"{string.Join(" and ", sides.Where(s => !s.Jit).Select(s => s.Key))} {2 * WarmupRound} probes; JIT sides ({string.Join(", ", jitSides.Select(s => s.Key))}) {warmed} probes each until the .NET JIT {(settled ? $"settled (≤ 2 methods compiled in each of {QuietRounds} rounds of {WarmupRound} running)" : $"still compiled (cap --max-warmup {maxWarmup})")}"))
            .Add($"{aot.Label} CPU-ms/probe", string.Create(CultureInfo.InvariantCulture, $"median {aot.Median:0.000} (batches {Range(aot)}; all {aot.Probes}: {aot.Mean:0.000}); pass {aot.Measured.Sum(b => b.Pass)}, fail {aot.Measured.Sum(b => b.Fail)}; its first {aot.WarmProbes} probes from start{(aot.Jit ? $", one-off JIT {aot.Warm.Sum(b => b.JitMs):0} ms included" : "")}: {aot.WarmMean:0.000}"))
            .Add($"{jit.Label} CPU-ms/probe", string.Create(CultureInfo.InvariantCulture, $"median {jit.Median:0.000} (batches {Range(jit)}; all {jit.Probes}: {jit.Mean:0.000}); pass {jit.Measured.Sum(b => b.Pass)}, fail {jit.Measured.Sum(b => b.Fail)}; JIT meanwhile {jit.Measured.Sum(b => b.JitMs):0} ms; its first {jit.WarmProbes} probes, one-off JIT {jit.Warm.Sum(b => b.JitMs):0} ms included: {jit.WarmMean:0.000}"))
            .Add($"{theirs.Label} CPU-ms/probe", string.Create(CultureInfo.InvariantCulture, $"median {theirs.Median:0.000} (batches {Range(theirs)}; all {theirs.Probes}: {theirs.Mean:0.000}); probe_success=1 {theirs.Measured.Sum(b => b.Pass)}, other {theirs.Measured.Sum(b => b.Fail)}"))
            .Add($"{post.Label} CPU-ms/probe", string.Create(CultureInfo.InvariantCulture, $"median {post.Median:0.000} (batches {Range(post)}); pass {post.Measured.Sum(b => b.Pass)}, fail {post.Measured.Sum(b => b.Fail)}; {post.Measured.Last().FirstOutcome}; the POST costs {post.Median - jit.Median:+0.000;-0.000} CPU-ms ({post.Median / jit.Median:0.00}x jit), wall {Stats.Median(post.Measured.Select(b => b.WallMsPerProbe).ToList()) - Stats.Median(jit.Measured.Select(b => b.WallMsPerProbe).ToList()):+0.000;-0.000} ms"))
            .Add($"{baseline.Label} CPU-ms/probe", string.Create(CultureInfo.InvariantCulture, $"median {baseline.Median:0.000} (batches {Range(baseline)}): socket + SslStream (same chain check) + h2 GET, no engine; jit - floor {jit.Median - baseline.Median:+0.000;-0.000}"))
            .Add("wall ms/probe (median)", string.Join(", ", sides.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Key} {Stats.Median(s.Measured.Select(b => b.WallMsPerProbe).ToList()):0.000}"))) + " (blackbox incl. the /probe HTTP round trip)")
            .Add("how measured", "our workers: process TotalProcessorTime (all threads, JIT included); blackbox: /proc/<pid>/stat utime+stime (10 ms ticks); TLS server CPU in none")
            .Add($"{aot.Key} runtime", $"{shipped.Runtime}; {aotWorker}")
            .Add("jit runtime (agent's settings)", ours.Runtime)
            .Add("blackbox", $"{blackbox.Version}; {theirVersion}")
            .Add("fairness", "same endpoint and root; all verify the chain against it; all full TLS handshakes (ours AllowTlsResume=false; blackbox makes a new Go client per probe with no session cache); all negotiate h2 via ALPN")
            .Add("ours sample outcome", $"{aot.Key} {aot.Measured.Last().FirstOutcome}, jit {jit.Measured.Last().FirstOutcome}")
            .Add($"ratio {aot.Key}/jit", string.Create(CultureInfo.InvariantCulture, $"{aot.Median / jit.Median:0.00}x"))
            .Add("ratio jit/blackbox", string.Create(CultureInfo.InvariantCulture, $"{jitRatio:0.00}x (CPU per probe, {jit.Label})"))
            .Add($"ratio {aot.Key}/blackbox", string.Create(CultureInfo.InvariantCulture, $"{ratio:0.00}x (CPU per probe, {aot.Label})"))
            .Add("aim ours <= 1.0x blackbox", $"{ResultBlock.Aim(ratio <= 1.0)} for {aot.Label}; {ResultBlock.Aim(jitRatio <= 1.0)} for {jit.Label}")
            .Print();
        return 0;
    }

    private static string Range(Side side)
        => string.Create(CultureInfo.InvariantCulture, $"{side.Measured.Min(b => b.CpuMsPerProbe):0.000}-{side.Measured.Max(b => b.CpuMsPerProbe):0.000}");

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
