using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using ArcBridgeDashboard.Probes.Contracts;

namespace ArcBridgeDashboard.Bench.Agents;

/// <summary>N simulated agents post batches concurrently to a real dashboard process; sustained results/s and ack latency.</summary>
public static class IngestBench
{
    /// <summary>What one run measured.</summary>
    public sealed record Figures(string Provider, double ResultsPerSecond, double MedianMs, double P95Ms, double MaxMs);

    /// <summary>Runs <paramref name="providers"/> one after the other (same arguments); with two, prints PostgreSQL / SQLite.</summary>
    public static async Task<int> RunAsync(string root, IReadOnlyList<string> providers, int agents, int batchSize, TimeSpan duration, string sync = "full")
    {
        var figures = new List<Figures>();
        foreach (var provider in providers)
            figures.Add(await RunOneAsync(root, provider == "postgres", agents, batchSize, duration, sync));
        if (figures.Count == 2)
        {
            Console.WriteLine($"===== RESULT ingest {figures[0].Provider} vs {figures[1].Provider} =====");
            foreach (var f in figures)
                Console.WriteLine($"  {f.Provider,-10}: {f.ResultsPerSecond,9:N0} results/s, ack median {f.MedianMs:F0} ms, p95 {f.P95Ms:F0} ms, max {f.MaxMs:F0} ms");
            Console.WriteLine($"  ratio {figures[1].Provider} / {figures[0].Provider}: {figures[1].ResultsPerSecond / figures[0].ResultsPerSecond:F2}x results/s, {figures[1].P95Ms / Math.Max(1, figures[0].P95Ms):F2}x p95");
        }
        return 0;
    }

    private static async Task<Figures> RunOneAsync(string root, bool postgres, int agents, int batchSize, TimeSpan duration, string sync)
    {
        using var lab = new BenchLab(root, postgres: postgres);
        await lab.StartDashboardAsync(new Dictionary<string, string>
        {
            ["ArcBridge__Agents__MaxBatchResults"] = Math.Max(1000, batchSize).ToString(System.Globalization.CultureInfo.InvariantCulture),
            // The bench measures the write path, not the per-agent limit (120 batches a minute by default).
            ["ArcBridge__RateLimits__IngestPermitLimit"] = "1000000",
            ["ArcBridge__RateLimits__EnrollPermitLimit"] = "100000",
            ["ArcBridge__SqliteSynchronous"] = sync,
        });
        var targets = await lab.SeedLoopbackTargetsAsync(Enumerable.Range(20_000, 25));
        var clients = new List<(int Id, HttpClient Http)>();
        for (var i = 0; i < agents; i++)
        {
            var http = new HttpClient { BaseAddress = lab.Server, Timeout = TimeSpan.FromMinutes(2) };
            var enrolled = await (await http.PostAsJsonAsync(AgentApi.EnrollPath, new EnrollRequest { Token = await lab.CreateTokenAsync(), Name = $"bench-{i}", Role = Sources.ApplianceVm }, ProbeJson.Options))
                .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<EnrollResponse>(ProbeJson.Options);
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", enrolled!.Credential);
            clients.Add((enrolled.AgentId, http));
        }

        // Warm-up: JIT, connection pools, page cache; every agent's latest rows exist afterwards.
        await Task.WhenAll(clients.Select(c => PostAsync(c.Http, c.Id, targets, batchSize)));
        var latencies = new List<double>();
        var posted = 0L;
        var load = ProcTreeCpu.LoadAverage();
        var cpu = CpuNow(lab);
        if (lab.Postgres is not null && Environment.GetEnvironmentVariable("ARCBRIDGE_BENCH_PG_STATEMENTS") == "1")
            await lab.StatementsResetAsync();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(clients.Select(async c =>
        {
            // Bounded by the clock: each agent posts its next batch as soon as the last is acknowledged.
            while (clock.Elapsed < duration)
            {
                var started = Stopwatch.GetTimestamp();
                var acked = await PostAsync(c.Http, c.Id, targets, batchSize);
                var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                lock (latencies)
                {
                    latencies.Add(ms);
                    posted += acked;
                }
            }
        }));
        var seconds = clock.Elapsed.TotalSeconds;
        var used = CpuNow(lab) - cpu;
        var loadAfter = ProcTreeCpu.LoadAverage();
        latencies.Sort();
        var stored = await lab.CountResultsAsync();
        var size = lab.Postgres is { } pg ? $"PostgreSQL database {pg.DatabaseSize("arcbridge") / 1e6:F1} MB"
            : $"SQLite file {new FileInfo(lab.DatabasePath).Length / 1e6:F1} MB (+WAL), synchronous={sync.ToUpperInvariant()}";
        var figures = new Figures(lab.ProviderName, posted / seconds, Percentile(latencies, 0.5), Percentile(latencies, 0.95), latencies.Count > 0 ? latencies[^1] : 0);
        Console.WriteLine($"===== RESULT ingest {lab.ProviderName} =====");
        Console.WriteLine($"ingest on {lab.ProviderName}: {agents} agents x batches of {batchSize}, {seconds:F1} s, {size}");
        Console.WriteLine($"  acknowledged results : {posted:N0} ({stored:N0} rows stored incl. warm-up)");
        Console.WriteLine($"  sustained            : {figures.ResultsPerSecond:N0} results/s   (aim >= 20,000)");
        Console.WriteLine($"  batch ack latency ms : median {figures.MedianMs:F0}, p95 {figures.P95Ms:F0} (aim <= 500), max {figures.MaxMs:F0} over {latencies.Count} batches");
        Console.WriteLine($"  CPU during the run   : dashboard {used.Dashboard / seconds:F2}, PostgreSQL {used.Postgres / seconds:F2}, bench client {used.Bench / seconds:F2}, "
            + $"everything else {Math.Max(0, used.Machine - used.Dashboard - used.Postgres - used.Bench) / seconds:F2} of {Environment.ProcessorCount} cores");
        Console.WriteLine($"  dashboard CPU-ms per 1,000 results: {used.Dashboard * 1e6 / Math.Max(1, posted):F1}; PostgreSQL {used.Postgres * 1e6 / Math.Max(1, posted):F1}");
        Console.WriteLine($"  load average         : {load} at the start, {loadAfter} at the end");
        if (lab.Postgres is not null && Environment.GetEnvironmentVariable("ARCBRIDGE_BENCH_PG_STATEMENTS") == "1")
        {
            Console.WriteLine("  PostgreSQL execution time by statement (pg_stat_statements, the measured part):");
            foreach (var line in await lab.TopStatementsAsync(12))
                Console.WriteLine("    " + line);
        }
        foreach (var (_, http) in clients)
            http.Dispose();
        return figures;
    }

    private readonly record struct Cpu(double Dashboard, double Postgres, double Bench, double Machine)
    {
        public static Cpu operator -(Cpu a, Cpu b) => new(a.Dashboard - b.Dashboard, a.Postgres - b.Postgres, a.Bench - b.Bench, a.Machine - b.Machine);
    }

    private static Cpu CpuNow(BenchLab lab) => new(
        lab.Dashboard is { } d ? ProcTreeCpu.TreeSeconds(d.Id) : 0,
        lab.Postgres is { } pg ? ProcTreeCpu.TreeSeconds(pg.Pid) : 0,
        ProcTreeCpu.TreeSeconds(Environment.ProcessId) - (lab.Dashboard is { } d2 ? ProcTreeCpu.TreeSeconds(d2.Id) : 0) - (lab.Postgres is { } p2 ? ProcTreeCpu.TreeSeconds(p2.Pid) : 0),
        ProcTreeCpu.MachineBusySeconds());

    private static async Task<int> PostAsync(HttpClient http, int agentId, IReadOnlyList<(string EndpointKey, string TargetKey, int Port)> targets, int batchSize)
    {
        var now = DateTimeOffset.UtcNow;
        var results = new ProbeResult[batchSize];
        for (var i = 0; i < batchSize; i++)
        {
            var t = targets[i % targets.Count];
            results[i] = new ProbeResult
            {
                EndpointKey = t.EndpointKey, TargetKey = t.TargetKey, Service = "bench", Host = "127.0.0.1", Port = t.Port,
                Protocol = TransportProtocol.Tcp, Sources = Sources.ApplianceVm, Verdict = i % 17 == 0 ? Verdict.Fail : Verdict.Pass,
                Phase = i % 17 == 0 ? Phase.Tcp : Phase.None, Reason = i % 17 == 0 ? ReasonCode.TcpRefused : ReasonCode.Ok,
                Message = "bench", StartedAt = now.AddMilliseconds(i), TimingsMs = new Dictionary<string, double> { ["tcp"] = 0.4, ["total"] = 0.5 },
            };
        }
        using var response = await http.PostAsJsonAsync(AgentApi.ResultsPath, new ResultBatch { AgentId = agentId, OutboxDepth = batchSize, Results = results }, ProbeJson.Options);
        response.EnsureSuccessStatusCode();
        var ack = await response.Content.ReadFromJsonAsync<BatchAck>(ProbeJson.Options);
        return ack!.Acked.Count;
    }

    private static double Percentile(List<double> sorted, double p) => sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
