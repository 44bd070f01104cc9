using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using ArcBridgeDashboard.Bench.Common;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Probes.Sweeps;

namespace ArcBridgeDashboard.Bench.ProbeCost;

/// <summary>
/// `probe-worker --port P --root FILE`: a separate process that runs our HTTPS probes, so its CPU time holds only the
/// engine (plus the runtime it needs). It reads "N" lines on stdin and answers each with
/// "cpuMs wallMs pass fail firstReason" after running N sequential probes of https://127.0.0.1:P/.
/// </summary>
public static class ProbeWorker
{
    public static async Task<int> RunAsync(Args args)
    {
        var port = args.GetInt("port", 0);
        var root = X509CertificateLoader.LoadCertificate(File.ReadAllBytes(args.Get("root", "")));
        var settings = new ProbeSettings
        {
            TrustedRoots = [root],
            ExpectedRoots = [root],
            PhaseTimeout = TimeSpan.FromSeconds(5),
        };
        var target = new ProbeTarget
        {
            EndpointKey = "bench:443/tcp", Service = "bench", HostPattern = "127.0.0.1", Host = "127.0.0.1",
            Port = port, Protocol = TransportProtocol.Tcp, Kind = ProbeKind.Https, Sources = Sources.ManagementMachine,
        };
        var prober = new TargetProber();
        // The runtime settings this process runs with (the agent's, from Agent.runtime.props), for the result block.
        var spin = AppContext.GetData("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit") ?? "default (70)";
        Console.WriteLine($"ready {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC, latency mode {System.Runtime.GCSettings.LatencyMode}, thread-pool spin limit {spin}");
        while (Console.ReadLine() is { } line && int.TryParse(line, CultureInfo.InvariantCulture, out var count))
        {
            int pass = 0, fail = 0;
            string firstReason = "-";
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var wall = Stopwatch.StartNew();
            for (var i = 0; i < Math.Min(count, 100_000); i++)
            {
                var result = await prober.ProbeAsync(target, settings);
                if (result.Verdict == Verdict.Pass) { pass++; if (firstReason == "-") firstReason = $"pass:{result.Details.Http?.Version}"; }
                else { fail++; if (!firstReason.StartsWith("fail", StringComparison.Ordinal)) firstReason = $"fail:{result.Reason}:{result.Message.Replace(' ', '_')}"; }
            }
            var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{cpuMs:0.000} {wall.Elapsed.TotalMilliseconds:0.000} {pass} {fail} {firstReason}"));
        }
        return 0;
    }
}
