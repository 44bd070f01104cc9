using ArcBridgeDashboard.Bench.Common;
using ArcBridgeDashboard.Bench.Pages;
using ArcBridgeDashboard.Bench.ProbeCost;
using ArcBridgeDashboard.Bench.Seed;
using ArcBridgeDashboard.Bench.Sweep;

// Benchmarks for ArcBridge Dashboard: run through bench/run.sh, never by the test command or CI.
var verb = args.Length > 0 ? args[0] : "help";
var options = new Args(args.Skip(1));
try
{
    return verb switch
    {
        "seed" => await SeedCommand.RunAsync(options),
        "pages" => await PagesCommand.RunAsync(options),
        "probe-cost" => await ProbeCostCommand.RunAsync(options),
        "probe-worker" => await ProbeWorker.RunAsync(options),
        "probe-worker-post" => await ProbeWorker.RunAsync(options, postOverHttp2: true),
        "probe-baseline" => await BaselineWorker.RunAsync(options),
        "sweep" => await SweepCommand.RunAsync(options),
        "sweep-inner" => await SweepInner.RunAsync(options),
        _ => Usage(),
    };
}
catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException)
{
    Console.Error.WriteLine($"bench {verb}: {e.Message}");
    return 2;
}

static int Usage()
{
    Console.Error.WriteLine("usage: arcbridge-bench seed|pages|probe-cost|probe-worker|probe-worker-post|sweep|sweep-inner [--option value]...");
    return 2;
}
