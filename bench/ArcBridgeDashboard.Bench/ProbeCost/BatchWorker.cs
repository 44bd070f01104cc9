using System.Diagnostics;
using System.Globalization;

namespace ArcBridgeDashboard.Bench.ProbeCost;

/// <summary>
/// The loop of a probe-cost worker process: after a "ready ..." line, each "N" line on stdin runs N sequential probes
/// and is answered with "cpuMs wallMs pass fail jitMs jitMethods firstOutcome". CPU is the whole process's (every
/// thread, the JIT's included); the JIT figures let the command tell the tiered JIT's warm-up from the steady state.
/// </summary>
public static class BatchWorker
{
    /// <param name="probeOnce">One probe: whether it passed, and a one-word outcome for the result block.</param>
    public static async Task RunAsync(string ready, Func<Task<(bool Pass, string Outcome)>> probeOnce)
    {
        Console.WriteLine($"ready {ready}");
        while (Console.ReadLine() is { } line && int.TryParse(line, CultureInfo.InvariantCulture, out var count))
        {
            int pass = 0, fail = 0;
            string? first = null;
            var jitMs = System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds;
            var jitMethods = System.Runtime.JitInfo.GetCompiledMethodCount();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var wall = Stopwatch.StartNew();
            for (var i = 0; i < Math.Min(count, 100_000); i++)
            {
                var (passed, outcome) = await probeOnce();
                if (passed) pass++; else fail++;
                // The first failure is worth more than the first pass.
                if (first is null || (!passed && first.StartsWith("pass", StringComparison.Ordinal)))
                    first = outcome.Replace(' ', '_');
            }
            var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
            jitMs = System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds - jitMs;
            jitMethods = System.Runtime.JitInfo.GetCompiledMethodCount() - jitMethods;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{cpuMs:0.000} {wall.Elapsed.TotalMilliseconds:0.000} {pass} {fail} {jitMs:0.0} {jitMethods} {first ?? "-"}"));
        }
    }

    /// <summary>
    /// How this process runs (the agent's settings, from Agent.runtime.props, and the build the agent ships with), for
    /// the result block. It starts with "NativeAOT" or "JIT": the command warms the two kinds up differently.
    /// </summary>
    public static string RuntimeSettings()
    {
        var spin = AppContext.GetData("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit") ?? "default (70)";
        var concurrent = AppContext.GetData("System.GC.Concurrent") ?? "default (true)";
        // Whichever way invariant mode was set (project, runtimeconfig, environment): without ICU, culture-aware
        // comparison is ordinal and no longer equates a precomposed "å" with "a" + combining ring.
        var invariant = string.Compare("\u00E5", "a\u030A", CultureInfo.InvariantCulture, CompareOptions.None) != 0;
        var code = System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeCompiled
            ? $"JIT (tiered PGO {AppContext.GetData("System.Runtime.TieredPGO") ?? "default (on)"})"
            : "NativeAOT";
        return $"{code}, {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC (concurrent {concurrent}), " +
               $"thread-pool spin limit {spin}, {(invariant ? "invariant globalization" : "ICU globalization")}";
    }
}
