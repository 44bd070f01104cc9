using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Agents;
using ArcBridgeDashboard.Web.Configuration;
using ArcBridgeDashboard.Web.Monitoring.Queries;
using ArcBridgeDashboard.Web.Tests.Agents;
using ArcBridgeDashboard.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace ArcBridgeDashboard.Web.Tests.Integration;

/// <summary>When the overview's "Get started" card goes away: settings saved once and an appliance VM agent enrolled. On both providers.</summary>
public sealed class SetupProgressQueryTests
{
    [Theory, BothProviders]
    public async Task GetAsync_FreshDashboardThenSettingsThenAgent_CompleteOnlyWithBoth(DatabaseProvider provider)
    {
        using var app = new AgentsAppFactory(null, provider); // its own: it starts from a dashboard with no settings saved and no agent
        app.CreateClient().Dispose();

        var fresh = await ProgressAsync(app);
        Assert.Equal(new SetupProgress(false, false, false), fresh);

        await app.InScopeAsync(async s => await s.GetRequiredService<DashboardSettingsStore>().SaveAsync(
            new DashboardSettings { ProxyUrl = "http://proxy.corp.example:3128", DnsServers = ["10.0.0.53"] }));
        await app.EnrollAsync("mgmt-1", Sources.ManagementMachine);
        var settingsAndManagementAgent = await ProgressAsync(app);
        Assert.True(settingsAndManagementAgent.SettingsSaved);
        Assert.False(settingsAndManagementAgent.Complete); // the Appliance VM column still has no agent

        var (vmAgent, _) = await app.EnrollAsync("vm-1", Sources.ApplianceVm);
        Assert.True((await ProgressAsync(app)).Complete);

        await app.InScopeAsync(async s => await s.GetRequiredService<EnrollmentService>().RevokeAsync(vmAgent.AgentId));
        Assert.False((await ProgressAsync(app)).Complete);
    }

    [Theory, BothProviders]
    public async Task GetAsync_BuiltInAgentInTheApplianceVmRole_CountsAsTheApplianceAgent(DatabaseProvider provider)
    {
        using var app = new Support.ArcBridgeAppFactory(new Dictionary<string, string?> // its own: another configuration
        {
            ["ArcBridge:BuiltInAgentEnabled"] = "true",
            ["ArcBridge:BuiltInAgentRole"] = "ApplianceVm",
        }, provider: provider);
        app.CreateClient().Dispose();

        var progress = await app.InScopeAsync(s => s.GetRequiredService<SetupProgressQuery>().GetAsync());

        Assert.True(progress.ApplianceVmAgent);
    }

    private static Task<SetupProgress> ProgressAsync(Support.ArcBridgeAppFactory app) =>
        app.InScopeAsync(s => s.GetRequiredService<SetupProgressQuery>().GetAsync());
}
