using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace ArcBridgeDashboard.Web.Tests.Agents;

/// <summary>Results for targets that really exist in the seeded default catalog.</summary>
public static class AgentTestData
{
    /// <summary>The first active target checked from <paramref name="role"/>, and not from <paramref name="notFrom"/> when given.</summary>
    public static async Task<ProbeTarget> FirstTargetAsync(AgentsAppFactory app, Sources role, Sources notFrom = Sources.None)
    {
        await using var db = app.CreateDbContext();
        var target = await db.Targets.Include(t => t.Endpoint)
            .Where(t => t.RetiredAt == null && t.Host != null && (t.Sources & role) != 0 && (t.Sources & notFrom) == 0)
            .OrderBy(t => t.Id).FirstAsync();
        return target.ToContract(target.Endpoint!);
    }

    public static ProbeResult ResultFor(ProbeTarget target, DateTimeOffset startedAt, Verdict verdict = Verdict.Pass) => new()
    {
        Id = Guid.NewGuid(),
        EndpointKey = target.EndpointKey, TargetKey = target.Key, Service = target.Service, Host = target.Host!,
        Port = target.Port, Protocol = target.Protocol, Sources = target.Sources, Verdict = verdict,
        Phase = verdict == Verdict.Pass ? Phase.None : Phase.Tcp,
        Reason = verdict == Verdict.Pass ? ReasonCode.Ok : ReasonCode.TcpTimeout,
        Message = verdict == Verdict.Pass ? "reachable" : "TCP connect timed out", StartedAt = startedAt,
        TimingsMs = new Dictionary<string, double> { ["tcp"] = 3, ["total"] = 12 },
    };

    public static ResultBatch Batch(int agentId, params ProbeResult[] results) => new() { AgentId = agentId, OutboxDepth = results.Length, Results = results };

    public static async Task<int> ResultCountAsync(AgentsAppFactory app, int agentId)
    {
        await using var db = app.CreateDbContext();
        return await db.Results.CountAsync(r => r.AgentId == agentId);
    }
}
