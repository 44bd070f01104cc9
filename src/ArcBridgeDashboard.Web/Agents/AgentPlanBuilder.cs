using System.Security.Cryptography;
using System.Text.Json;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Configuration;
using ArcBridgeDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ArcBridgeDashboard.Web.Agents;

/// <summary>
/// An agent's plan: the active catalog's targets for its role (already expanded by <see cref="Catalog.CatalogTargetSync"/>
/// with the dashboard's cloud, region and overrides) plus the probe settings, trusted and expected roots included,
/// so a remote agent judges TLS exactly like the built-in one. Its version is a hash of the content, so any
/// change in catalog or settings gives a new ETag and agents polling with If-None-Match pick it up.
/// </summary>
public sealed class AgentPlanBuilder(ArcBridgeDbContext db, DashboardSettingsStore settingsStore, IOptions<AgentOptions> agentOptions, IOptions<ArcBridgeOptions> options)
{
    /// <summary>The built-in agent's plan: the same as a remote agent of its role gets.</summary>
    public async Task<AgentPlan> BuildForBuiltInAsync(CancellationToken cancellationToken = default)
    {
        var role = await db.Agents.Where(a => a.Id == Agent.BuiltInId).Select(a => a.Role).SingleAsync(cancellationToken);
        return await BuildAsync(Agent.BuiltInId, role, null, cancellationToken);
    }

    /// <param name="kinds">The probe kinds the agent can run (<see cref="AgentApi.ProbeKindsHeader"/>); null: all.</param>
    public async Task<AgentPlan> BuildAsync(int agentId, Sources role, IReadOnlySet<ProbeKind>? kinds = null, CancellationToken cancellationToken = default)
    {
        var settings = await settingsStore.GetAsync(cancellationToken);
        // The built-in agent is the dashboard itself; a remote agent gets the password only when the operator said so.
        var password = agentId == Agent.BuiltInId || settings.SendProxyPasswordToAgents
            ? await settingsStore.GetProxyPasswordAsync(cancellationToken)
            : null;
        var targets = await db.Targets.AsNoTracking()
            .Include(t => t.Endpoint)
            .Where(t => t.RetiredAt == null && t.Endpoint!.CatalogVersion!.IsActive && (t.Sources & role) != 0)
            .OrderBy(t => t.Id)
            .ToListAsync(cancellationToken);
        if (kinds is not null)
            targets = [.. targets.Where(t => kinds.Contains(t.Kind))];
        var plan = new AgentPlan
        {
            Version = "",
            AgentId = agentId,
            Role = role,
            IntervalSeconds = settings.IntervalMinutes * 60,
            PhaseTimeoutSeconds = settings.PhaseTimeoutSeconds,
            Region = settings.Region,
            Cloud = settings.Cloud,
            Gateway = string.IsNullOrWhiteSpace(settings.Gateway) ? null : settings.Gateway.Trim(),
            Proxy = settings.ProxyUrl,
            ProxyUser = settings.ProxyUser,
            ProxyPassword = password,
            NoProxy = settings.NoProxy,
            DnsServers = settings.DnsServers,
            // The text as validated and saved: the agent parses it with the same parser (PemCertificates).
            TrustedRootsPem = string.IsNullOrWhiteSpace(settings.TrustedRootsPem) ? null : settings.TrustedRootsPem,
            ExpectedRootsPem = string.IsNullOrWhiteSpace(settings.ExpectedRootsPem) ? null : settings.ExpectedRootsPem,
            NtpWarnSeconds = settings.NtpWarnSeconds,
            NtpFailSeconds = settings.NtpFailSeconds,
            MaxParallelism = options.Value.MaxParallelism,
            PollSeconds = agentOptions.Value.PollSeconds,
            Targets = [.. targets.Select(t => t.ToContract(t.Endpoint!))],
            EndpointIntervalSeconds = new SortedDictionary<string, int>(targets
                .Select(t => t.Endpoint!).Where(e => e.IntervalSeconds is > 0).DistinctBy(e => e.Key)
                .ToDictionary(e => e.Key, e => e.IntervalSeconds!.Value), StringComparer.Ordinal),
        };
        return plan with { Version = VersionOf(plan) };
    }

    private static string VersionOf(AgentPlan plan)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(plan, ProbeJson.Options);
        return Convert.ToHexStringLower(SHA256.HashData(bytes))[..16];
    }
}
