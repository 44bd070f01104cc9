using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Configuration;
using ArcBridgeDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ArcBridgeDashboard.Web.Monitoring.Queries;

/// <param name="SettingsSaved">Settings were saved at least once. A direct connection needs no proxy and the system
/// resolvers may be right, so saving (even unchanged) is how the operator says the network is described.</param>
/// <param name="ApplianceVmAgent">An agent that stands for the appliance VM is enrolled and not revoked: the built-in
/// agent is the management machine unless ArcBridge:BuiltInAgentRole says otherwise, so usually this takes a remote
/// agent, and without one the Appliance VM column is only gaps.</param>
/// <param name="HasResults">Some agent has stored a result.</param>
public sealed record SetupProgress(bool SettingsSaved, bool ApplianceVmAgent, bool HasResults)
{
    /// <summary>Results follow on their own (the schedule sweeps), so only the two steps a person must take count.</summary>
    public bool Complete => SettingsSaved && ApplianceVmAgent;
}

/// <summary>How far a new dashboard is set up, for the overview's "Get started" card. Three small existence checks.</summary>
public sealed class SetupProgressQuery(ArcBridgeDbContext db, IOptions<ArcBridgeOptions> options)
{
    public async Task<SetupProgress> GetAsync(CancellationToken cancellationToken = default)
    {
        var settingsSaved = await db.Settings.AsNoTracking().AnyAsync(s => s.Key == DashboardSettingsStore.SettingsKey, cancellationToken);
        var builtInEnabled = options.Value.BuiltInAgentEnabled;
        var roles = await db.Agents.AsNoTracking().Where(a => a.RevokedAt == null && (!a.IsBuiltIn || builtInEnabled))
            .Select(a => a.Role).ToListAsync(cancellationToken);
        var hasResults = await db.LatestResults.AsNoTracking().AnyAsync(cancellationToken);
        return new SetupProgress(settingsSaved, roles.Any(r => r.HasFlag(Sources.ApplianceVm)), hasResults);
    }
}
