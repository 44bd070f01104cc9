using System.Diagnostics;
using System.Net;
using ArcBridgeDashboard.Bench.Common;
using ArcBridgeDashboard.Probes.Catalog;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Probes.Sweeps;

namespace ArcBridgeDashboard.Bench.Sweep;

/// <summary>
/// Runs inside the bench namespace: expands the full default catalog for eastus, maps every host name to a loopback
/// address with dnsmasq (every third host to the blackholed 127.0.9.0/24), serves TLS/TCP/NTP on the rest, then times
/// concurrent sweeps against a one-by-one sweep (MaxParallelism 1).
/// </summary>
public static class SweepInner
{
    private static readonly IPEndPoint DnsServer = new(IPAddress.Parse("127.0.0.1"), 53);

    public static async Task<int> RunAsync(Args args)
    {
        var runs = Math.Clamp(args.GetInt("runs", 5), 1, 20);
        var sequentialRuns = Math.Clamp(args.GetInt("sequential-runs", 1), 0, 3);
        var timeout = TimeSpan.FromSeconds(args.GetInt("timeout", 3));
        var baseSettings = new ProbeSettings
        {
            Region = "eastus",
            DnsServers = [DnsServer],
            ApplianceVmIps = ["127.0.1.10", "127.0.1.11"],
            ControlPlaneIp = "127.0.1.20",
            PhaseTimeout = timeout,
        };
        var targets = TargetExpander.Expand(DefaultCatalog.Load().Endpoints, baseSettings);

        // Every third distinct host (DNS server excluded: every probe needs it) is blackholed, then topped up to a third of targets.
        var hosts = targets.Where(t => t.Host is not null && t.Kind != ProbeKind.Dns).Select(t => t.Host!).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var blackholed = hosts.Where((_, i) => i % 3 == 1).ToHashSet(StringComparer.OrdinalIgnoreCase);
        // Top up with further hosts until a full third of all targets is blackholed (hosts may carry several targets).
        foreach (var extra in hosts.Where((_, i) => i % 3 == 2))
        {
            if (targets.Count(t => t.Host is { } h && blackholed.Contains(h)) * 3 >= targets.Count) break;
            blackholed.Add(extra);
        }
        var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var nextUp = 1;
        var nextDown = 1;
        foreach (var host in hosts.Where(h => !IPAddress.TryParse(h, out _)))
            names[host] = blackholed.Contains(host) ? $"127.0.9.{nextDown++}" : $"127.0.2.{nextUp++}";
        // Literal IPs (appliance VM, control plane) cannot be renamed: a blackholed one is moved into the dropped range.
        targets = targets.Select(t => t.Host is { } h && blackholed.Contains(h) && IPAddress.TryParse(h, out _)
            ? t with { Host = $"127.0.9.{100 + nextDown++}" } : t).ToList();
        var blackholedTargets = targets.Count(t => t.Host is { } h && (h.StartsWith("127.0.9.", StringComparison.Ordinal) || blackholed.Contains(h)));

        var pki = TestPki.Create(names.Keys, [IPAddress.Loopback]);
        var settings = baseSettings with { TrustedRoots = [pki.Root], ExpectedRoots = [pki.Root] };
        using var dns = await Dnsmasq.StartAsync("127.0.0.1", DnsServer.Port, names);
        var httpsPorts = targets.Where(t => t.Kind == ProbeKind.Https).Select(t => t.Port).Distinct().ToList();
        await using var tls = await TlsEndpoint.StartAsync(pki.Leaf, httpsPorts.Select(p => new IPEndPoint(IPAddress.Any, p)));
        using var peers = new LoopbackPeers();
        // A TcpDirect check on 443 (the private cloud address) is answered by the TLS listener already there.
        foreach (var port in targets.Where(t => t.Kind == ProbeKind.TcpDirect && t.Host is not null).Select(t => t.Port).Distinct().Except(httpsPorts)) peers.AcceptTcp(port);
        foreach (var port in targets.Where(t => t.Kind == ProbeKind.Ntp).Select(t => t.Port).Distinct()) peers.AnswerSntp(port);

        Console.WriteLine($"sweep: {targets.Count} targets ({targets.Count(t => t.Host is null)} need a hostname), {blackholedTargets} blackholed, per-phase timeout {timeout.TotalSeconds} s, MaxParallelism {settings.MaxParallelism}");
        var warm = await SweepOnceAsync(targets, settings);
        Console.WriteLine($"warm-up sweep: {warm.Wall.TotalMilliseconds:0} ms, {warm.Summary}");
        var concurrent = new List<double>();
        SweepRun last = warm;
        var overSlowest = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            last = await SweepOnceAsync(targets, settings);
            concurrent.Add(last.Wall.TotalMilliseconds);
            overSlowest.Add(last.Wall.TotalMilliseconds - last.SlowestMs);
            Console.WriteLine($"concurrent sweep {i + 1}/{runs}: {last.Wall.TotalMilliseconds:0} ms, {last.Summary}");
        }
        var sequential = new List<double>();
        for (var i = 0; i < sequentialRuns; i++)
        {
            var run = await SweepOnceAsync(targets, settings with { MaxParallelism = 1 });
            sequential.Add(run.Wall.TotalMilliseconds);
            Console.WriteLine($"one-by-one sweep {i + 1}/{sequentialRuns}: {run.Wall.TotalMilliseconds:0} ms, {run.Summary}");
        }

        var median = Stats.Median(concurrent);
        var sequentialMedian = Stats.Median(sequential);
        new ResultBlock("sweep")
            .Add("network", $"private netns (loopback only): dnsmasq 127.0.0.1:53, Kestrel TLS on :{string.Join(",", httpsPorts)}, TCP 22/6443, SNTP :123; {SweepCommand.BlackholeCidr} dropped on input by nftables")
            .Add("targets", $"{targets.Count} from DefaultCatalog + TargetExpander (eastus); {blackholedTargets} blackholed ({100.0 * blackholedTargets / targets.Count:0}%); {targets.Count(t => t.Host is null)} need a hostname")
            .Add("last sweep verdicts", last.Summary)
            .Add("slowest target (last sweep)", last.Slowest)
            .Add($"concurrent wall (n={runs})", $"median {median:0} ms, min {concurrent.Min():0} ms, max {concurrent.Max():0} ms (per-phase timeout {timeout.TotalSeconds} s, MaxParallelism {settings.MaxParallelism})")
            .Add($"one-by-one wall (n={sequential.Count})", sequential.Count == 0 ? "skipped" : $"median {sequentialMedian:0} ms (MaxParallelism 1)")
            .Add("ratio one-by-one/concurrent", sequential.Count == 0 ? "n/a" : $"{sequentialMedian / median:0.0}x faster concurrently")
            .Add("wall - slowest target", $"median {Stats.Median(overSlowest):0} ms, max {overSlowest.Max():0} ms (revocation servers named by chains only are fetched after the HTTPS probes)")
            .Add("aim wall <= 3.5 s", ResultBlock.Aim(median <= 3500))
            .Add("aim ends at the slowest target + 0.1 s", ResultBlock.Aim(overSlowest.Max() <= 100))
            .Print();
        return 0;
    }

    private static async Task<SweepRun> SweepOnceAsync(IReadOnlyList<ProbeTarget> targets, ProbeSettings settings)
    {
        var runner = new SweepRunner();
        var results = new List<ProbeResult>();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var clock = Stopwatch.StartNew();
        await foreach (var result in runner.RunAsync(targets, settings, limit.Token)) results.Add(result);
        clock.Stop();
        var reasons = results.Where(r => r.Verdict != Verdict.Pass).GroupBy(r => r.Reason).Select(g => $"{g.Key}x{g.Count()}");
        var summary = $"{results.Count(r => r.Verdict == Verdict.Pass)} pass, {results.Count(r => r.Verdict == Verdict.Warn)} warn, {results.Count(r => r.Verdict == Verdict.Fail)} fail [{string.Join(", ", reasons)}]";
        var slowest = results.MaxBy(r => r.TimingsMs.GetValueOrDefault("total"));
        var slowestMs = slowest?.TimingsMs.GetValueOrDefault("total") ?? 0;
        return new SweepRun(clock.Elapsed, summary, slowest is null ? "-" : $"{slowest.Host}:{slowest.Port} {slowest.Reason} {slowestMs:0} ms", slowestMs);
    }

    private sealed record SweepRun(TimeSpan Wall, string Summary, string Slowest, double SlowestMs);
}
