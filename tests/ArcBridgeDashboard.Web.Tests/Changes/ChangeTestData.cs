using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace ArcBridgeDashboard.Web.Tests.Changes;

internal static class ChangeTestData
{
    public static async Task<Target> TargetAsync(ArcBridgeDbContext db, string service) =>
        await db.Targets.Include(t => t.Endpoint).SingleAsync(t => t.Endpoint!.Service == service && t.Host == "127.0.0.1");

    /// <param name="manual">Stamped as a Check now pass (its own one-result pass, the last).</param>
    public static ProbeResult Result(Target target, Verdict verdict, DateTimeOffset at, ReasonCode? reason = null, bool manual = false, bool schedulePass = false) => new()
    {
        EndpointKey = target.Endpoint!.Key, TargetKey = target.Key, Service = target.Endpoint.Service, Host = "127.0.0.1", Port = target.Port,
        Protocol = TransportProtocol.Tcp, Sources = Sources.ManagementMachine, Verdict = verdict,
        Phase = verdict == Verdict.Pass ? Phase.None : Phase.Proxy, Reason = reason ?? (verdict == Verdict.Pass ? ReasonCode.Ok : ReasonCode.ProxyDenied),
        Message = $"{verdict} {reason}", StartedAt = at, TimingsMs = new Dictionary<string, double> { ["total"] = 3 },
        Pass = manual || schedulePass
            ? new SweepPass { Id = Guid.NewGuid(), Trigger = manual ? SweepPass.Manual : SweepPass.Schedule, StartedAt = at, TargetCount = 1, Last = true }
            : null,
    };
}
