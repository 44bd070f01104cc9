using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Data;
using ArcBridgeDashboard.Web.Monitoring.Status;
using Microsoft.EntityFrameworkCore;

namespace ArcBridgeDashboard.Web.Monitoring.Queries;

/// <summary>
/// The overview matrix. Reads active targets, agents and <see cref="LatestResult"/> only, so its cost is
/// O(targets × agents) whatever the size of the result history.
/// </summary>
public sealed class OverviewQuery(ArcBridgeDbContext db, Agents.RoleCoverage? coverage = null)
{
    public static readonly IReadOnlyList<Sources> Roles = [Sources.ManagementMachine, Sources.ApplianceVm];

    /// <param name="now">Current time (from the page's TimeProvider).</param>
    /// <param name="interval">Global probe interval (an endpoint's own overrides it): see <see cref="CheckStatus.StaleAfter"/>.</param>
    public async Task<OverviewModel> GetAsync(DateTimeOffset now, TimeSpan interval, CancellationToken cancellationToken = default)
    {
        var version = await db.CatalogVersions.AsNoTracking().Where(v => v.IsActive).Select(v => v.Version).FirstOrDefaultAsync(cancellationToken) ?? "";
        var targets = await db.Targets.AsNoTracking()
            .Where(t => t.RetiredAt == null && t.Endpoint!.CatalogVersion!.IsActive)
            .Select(t => new { t.Id, t.EndpointId, t.Endpoint!.Service, t.Key, t.Host, t.Endpoint.HostPattern, t.Port, t.Protocol, t.Kind, t.Sources, t.Required, t.ExpansionNote, t.Endpoint.IntervalSeconds })
            .ToListAsync(cancellationToken);
        var agents = await db.Agents.AsNoTracking().Where(a => a.RevokedAt == null).ToDictionaryAsync(a => a.Id, cancellationToken);
        var targetIds = targets.Select(t => t.Id).ToList();
        var latest = (await db.LatestResults.AsNoTracking().Where(l => targetIds.Contains(l.TargetId)).ToListAsync(cancellationToken))
            .Where(l => agents.ContainsKey(l.AgentId))
            .ToLookup(l => l.TargetId);
        var lastSweepAt = await db.Sweeps.AsNoTracking().Where(s => s.FinishedAt != null)
            .OrderByDescending(s => s.StartedAt).Select(s => s.FinishedAt).FirstOrDefaultAsync(cancellationToken);

        var rows = new List<OverviewRow>(targets.Count);
        foreach (var t in targets.OrderBy(t => t.Service, StringComparer.OrdinalIgnoreCase).ThenBy(t => t.Key, StringComparer.Ordinal))
        {
            var staleAfter = CheckStatus.StaleAfter(CheckStatus.IntervalOf(t.IntervalSeconds, interval));
            var cells = Roles.Where(r => (t.Sources & r) != 0)
                .ToDictionary(r => r, r => MergeRole(r, latest[t.Id], agents, now, staleAfter, needsHostname: t.Host is null));
            rows.Add(new OverviewRow(t.EndpointId, t.Id, t.Service, t.Key, t.Host, t.HostPattern, t.Port, t.Protocol, t.Kind,
                t.Sources, t.Required, t.ExpansionNote, cells));
        }
        var required = rows.Where(r => r.Required).SelectMany(r => r.Cells.Values).ToList();
        var gaps = coverage?.GapsFor(agents.Values, required.Select(c => c.Role), now) ?? [];
        return new OverviewModel(Roles, rows, Readiness.Of(required.Select(c => c.Status), gaps), lastSweepAt, version, interval);
    }

    private static OverviewCell MergeRole(Sources role, IEnumerable<LatestResult> latest, IReadOnlyDictionary<int, Agent> agents, DateTimeOffset now, TimeSpan staleAfter, bool needsHostname)
    {
        var roleAgents = agents.Values.Where(a => (a.Role & role) != 0).ToList();
        var perAgent = latest.Where(l => (agents[l.AgentId].Role & role) != 0)
            .Select(l => new AgentCell(l.AgentId, agents[l.AgentId].Name, l.Verdict, l.Phase, l.Reason, l.Message, l.Remedy, l.StartedAt, now - l.StartedAt > staleAfter))
            .OrderBy(Severity).ThenBy(a => a.AgentName, StringComparer.OrdinalIgnoreCase)
            .ToList();
        if (perAgent.Count == 0)
        {
            var noAgent = roleAgents.Count == 0;
            return new OverviewCell(role, null, Phase.None, null, null, null, null, false, noAgent, [],
                CheckStatus.FromMerged(null, false, false, noAgent, needsHostname));
        }
        var worst = perAgent[0];
        var anyStale = perAgent.Any(a => a.IsStale);
        return new OverviewCell(role, worst.Verdict, worst.Phase, worst.Reason, worst.Message, worst.Remedy, worst.At,
            anyStale, false, perAgent, CheckStatus.FromMerged(worst.Verdict, worst.IsStale, anyStale, false, needsHostname));
    }

    // Worst first: Fail, then stale, then Warn, then Pass.
    private static int Severity(AgentCell a) => a.Verdict switch
    {
        Verdict.Fail => 0,
        _ when a.IsStale => 1,
        Verdict.Warn => 2,
        _ => 3,
    };
}
