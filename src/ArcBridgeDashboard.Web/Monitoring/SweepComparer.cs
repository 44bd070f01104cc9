using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace ArcBridgeDashboard.Web.Monitoring;

/// <summary>
/// Compares a sweep with the previous sweep of the same agent, target by target (both read via the SweepId index).
/// Failing means verdict Fail; a target the previous sweep did not probe counts as not failing before.
/// </summary>
public static class SweepComparer
{
    public static async Task<SweepChangeSummary> CompareAsync(ArcBridgeDbContext db, long sweepId, CancellationToken cancellationToken)
    {
        var sweep = await db.Sweeps.AsNoTracking().Include(s => s.Agent).SingleAsync(s => s.Id == sweepId, cancellationToken);
        var previousId = await db.Sweeps.AsNoTracking()
            .Where(s => s.AgentId == sweep.AgentId && s.Id != sweepId && s.StartedAt <= sweep.StartedAt && s.FinishedAt != null && s.Error == null)
            .OrderByDescending(s => s.StartedAt).ThenByDescending(s => s.Id)
            .Select(s => (long?)s.Id).FirstOrDefaultAsync(cancellationToken);
        var now = await VerdictsAsync(db, sweepId, cancellationToken);
        var before = previousId is { } id ? await VerdictsAsync(db, id, cancellationToken) : [];

        ChangedTarget Describe(Row r) => new(r.TargetId, r.EndpointId, r.TargetKey, r.Service, sweep.AgentId,
            sweep.Agent!.Name, sweep.Agent.Role, r.Reason, r.Message, r.Host,
            before.TryGetValue(r.TargetId, out var b) && b.Verdict == Verdict.Fail ? b.Reason : null);
        bool FailedBefore(int targetId) => before.TryGetValue(targetId, out var b) && b.Verdict == Verdict.Fail;

        // A target the previous sweep did not probe may still have history (a longer interval): only one this agent
        // never checked is a first check, so accepting an allowlist with new endpoints reports nothing as newly failing.
        var missing = now.Keys.Where(id => !before.ContainsKey(id)).ToList();
        var checkedBefore = missing.Count == 0 || previousId is null ? [] : (await db.Results.AsNoTracking()
            .Where(r => r.AgentId == sweep.AgentId && missing.Contains(r.TargetId) && r.StartedAt < sweep.StartedAt)
            .Select(r => r.TargetId).Distinct().ToListAsync(cancellationToken)).ToHashSet();
        bool FirstCheck(int targetId) => previousId is not null && !before.ContainsKey(targetId) && !checkedBefore.Contains(targetId);

        var firstCheckFailing = now.Values.Where(r => r.Verdict == Verdict.Fail && FirstCheck(r.TargetId)).Select(Describe).ToList();
        var newlyFailing = now.Values.Where(r => r.Verdict == Verdict.Fail && !FailedBefore(r.TargetId) && !FirstCheck(r.TargetId)).Select(Describe).ToList();
        var stillFailing = now.Values.Where(r => r.Verdict == Verdict.Fail && FailedBefore(r.TargetId)).Select(Describe).ToList();
        var recovered = now.Values.Where(r => r.Verdict != Verdict.Fail && FailedBefore(r.TargetId)).Select(Describe).ToList();
        return new SweepChangeSummary(newlyFailing, recovered, stillFailing, previousId) { FirstCheckFailing = firstCheckFailing };
    }

    private static async Task<Dictionary<int, Row>> VerdictsAsync(ArcBridgeDbContext db, long sweepId, CancellationToken cancellationToken)
    {
        var rows = await db.Results.AsNoTracking()
            .Where(r => r.SweepId == sweepId)
            .Select(r => new Row(r.TargetId, r.Target!.EndpointId, r.Target.Key, r.Target.Endpoint!.Service, r.Target.Host ?? r.Target.Endpoint.HostPattern, r.Verdict, r.Reason, r.Message, r.StartedAt))
            .ToListAsync(cancellationToken);
        // Should a target appear twice in one sweep, its newest result counts.
        return rows.GroupBy(r => r.TargetId).ToDictionary(g => g.Key, g => g.MaxBy(r => r.StartedAt)!);
    }

    private sealed record Row(int TargetId, int EndpointId, string TargetKey, string Service, string Host, Verdict Verdict, ReasonCode Reason, string Message, DateTimeOffset StartedAt);
}
