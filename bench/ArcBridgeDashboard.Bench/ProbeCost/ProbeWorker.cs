using System.Security.Cryptography.X509Certificates;
using ArcBridgeDashboard.Bench.Common;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Probes.Sweeps;

namespace ArcBridgeDashboard.Bench.ProbeCost;

/// <summary>
/// `probe-worker --port P --root FILE`: a separate process that runs our HTTPS probes of https://127.0.0.1:P/
/// (<see cref="BatchWorker"/> protocol), so its CPU time holds only the engine plus the runtime it needs.
/// `probe-worker-post` marks the target as a data plane: after the GET, the 4 KB HTTP/2 POST Arc's data planes get.
/// </summary>
public static class ProbeWorker
{
    public static async Task<int> RunAsync(Args args, bool postOverHttp2 = false)
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
            PostOverHttp2 = postOverHttp2,
        };
        var prober = new TargetProber();
        await BatchWorker.RunAsync(BatchWorker.RuntimeSettings(), async () =>
        {
            var result = await prober.ProbeAsync(target, settings);
            return result.Verdict == Verdict.Pass
                ? (true, $"pass:{result.Details.Http?.Version}{(postOverHttp2 ? $" post {result.Details.Http?.Http2PostStatus}" : "")}")
                : (false, $"fail:{result.Reason}:{result.Message}");
        });
        return 0;
    }
}
