using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using ArcBridgeDashboard.Probes.Contracts;

namespace ArcBridgeDashboard.Bench.Agents;

/// <summary>N simulated agents post batches concurrently to a real dashboard process; sustained results/s and ack latency.</summary>
public static class IngestBench
{
    public static async Task<int> RunAsync(string root, int agents, int batchSize, TimeSpan duration, string sync = "full")
    {
        using var lab = new BenchLab(root);
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

        // Warm-up: JIT, connection pools, SQLite page cache.
        await Task.WhenAll(clients.Select(c => PostAsync(c.Http, c.Id, targets, batchSize)));
        var latencies = new List<double>();
        var posted = 0L;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(clients.Select(async c =>
        {
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
        latencies.Sort();
        var stored = await lab.CountResultsAsync();
        Console.WriteLine($"ingest: {agents} agents x batches of {batchSize}, synchronous={sync.ToUpperInvariant()}, {seconds:F1} s, SQLite file {new FileInfo(lab.DatabasePath).Length / 1e6:F1} MB (+WAL)");
        Console.WriteLine($"  acknowledged results : {posted:N0} ({stored:N0} rows stored incl. warm-up)");
        Console.WriteLine($"  sustained            : {posted / seconds:N0} results/s   (aim >= 20,000)");
        Console.WriteLine($"  batch ack latency ms : median {Percentile(latencies, 0.5):F0}, p95 {Percentile(latencies, 0.95):F0}, max {latencies[^1]:F0} over {latencies.Count} batches");
        foreach (var (_, http) in clients)
            http.Dispose();
        return 0;
    }

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
