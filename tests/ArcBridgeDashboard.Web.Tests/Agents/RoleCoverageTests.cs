using System.Net.Http.Json;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Agents;
using ArcBridgeDashboard.Web.Configuration;
using ArcBridgeDashboard.Web.Monitoring.Queries;
using ArcBridgeDashboard.Web.Monitoring.Status;
using ArcBridgeDashboard.Web.Tests.Support;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace ArcBridgeDashboard.Web.Tests.Agents;

/// <summary>
/// The overview's source columns come from agent roles; an uncovered role is a readiness gap. Coverage is about every
/// agent of the app (which are enrolled, which were seen within the online window of the fake clock), so each test
/// makes its own app: another test's agents or clock moves would open or close the very gap it looks at. On both providers.
/// </summary>
public sealed class RoleCoverageTests
{
    [Theory, BothProviders]
    public async Task Overview_NoOnlineApplianceVmAgent_ReadinessNamesTheGapAndIsNotGreen(DatabaseProvider provider)
    {
        using var app = new AgentsAppFactory(null, provider); // built-in agent off: ManagementMachine is uncovered too

        var model = await OverviewAsync(app);

        Assert.Contains("no agent covers Appliance VM", model.Readiness.Gaps);
        Assert.Contains("no agent covers Management machine", model.Readiness.Gaps);
        Assert.Contains("no agent covers Appliance VM", model.Readiness.Text);
        Assert.False(model.Readiness.AllPass);
    }

    [Theory, BothProviders]
    public async Task Overview_ApplianceVmAgentPostedResult_CellShowsItAndGapCloses(DatabaseProvider provider)
    {
        using var app = new AgentsAppFactory(null, provider);
        var (agent, client) = await app.EnrollAsync("vm-1", Sources.ApplianceVm);
        var target = await AgentTestData.FirstTargetAsync(app, Sources.ApplianceVm);
        var posted = await client.PostAsJsonAsync(AgentApi.ResultsPath,
            AgentTestData.Batch(agent.AgentId, AgentTestData.ResultFor(target, app.Time.GetUtcNow(), Verdict.Fail)), ProbeJson.Options);
        posted.EnsureSuccessStatusCode();

        var model = await OverviewAsync(app);

        Assert.DoesNotContain("no agent covers Appliance VM", model.Readiness.Gaps);
        var cell = model.Rows.Single(r => r.TargetKey == target.Key && r.Cells.ContainsKey(Sources.ApplianceVm)).Cells[Sources.ApplianceVm];
        Assert.Equal(Verdict.Fail, cell.Verdict);
        Assert.Equal("vm-1", Assert.Single(cell.Agents).AgentName);
    }

    [Theory, BothProviders]
    public async Task Overview_ApplianceVmAgentSilentPastOnlineWindow_GapReturns(DatabaseProvider provider)
    {
        using var app = new AgentsAppFactory(null, provider);
        var (agent, client) = await app.EnrollAsync("vm-2", Sources.ApplianceVm);
        var target = await AgentTestData.FirstTargetAsync(app, Sources.ApplianceVm);
        (await client.PostAsJsonAsync(AgentApi.ResultsPath,
            AgentTestData.Batch(agent.AgentId, AgentTestData.ResultFor(target, app.Time.GetUtcNow())), ProbeJson.Options)).EnsureSuccessStatusCode();

        app.Time.Advance(TimeSpan.FromMinutes(3)); // OnlineWithin defaults to 2 minutes

        Assert.Contains("no agent covers Appliance VM", (await OverviewAsync(app)).Readiness.Gaps);
    }

    [Theory, BothProviders]
    public async Task Overview_ApplianceVmAgentConnectedLiveButQuietPastOnlineWindow_OnlineOnAgentsPageAndNoGap(DatabaseProvider provider)
    {
        using var app = new AgentsAppFactory(null, provider);
        var (agent, _) = await app.EnrollAsync("vm-live", Sources.ApplianceVm);
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(app.Server.BaseAddress, AgentApi.HubPath), HttpTransportType.LongPolling, o =>
            {
                o.HttpMessageHandlerFactory = _ => app.Server.CreateHandler();
                o.AccessTokenProvider = () => Task.FromResult<string?>(agent.Credential);
            })
            .Build();
        await hub.StartAsync();
        // A hub call is served only after the server's OnConnectedAsync: the connection is registered from here on.
        await hub.InvokeAsync<long>("PendingCheckNow");

        app.Time.Advance(TimeSpan.FromMinutes(3)); // past OnlineWithin, but the live connection is open

        // The Agents page and the overview's coverage apply one rule (AgentLiveness): they used to disagree here.
        var row = (await app.Services.GetRequiredService<AgentStatusQuery>().ListAsync()).Single(a => a.Name == "vm-live");
        Assert.Equal(AgentState.Online, row.State);
        Assert.DoesNotContain("no agent covers Appliance VM", (await OverviewAsync(app)).Readiness.Gaps);
    }

    private static async Task<OverviewModel> OverviewAsync(AgentsAppFactory app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<OverviewQuery>().GetAsync(app.Time.GetUtcNow(), TimeSpan.FromMinutes(5));
    }
}
