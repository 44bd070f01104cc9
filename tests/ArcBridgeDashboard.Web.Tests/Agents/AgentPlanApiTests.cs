using System.Net;
using System.Net.Http.Json;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Configuration;
using ArcBridgeDashboard.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace ArcBridgeDashboard.Web.Tests.Agents;

/// <remarks>On both providers: <see cref="OnSqlite"/> and <see cref="OnPostgreSql"/>, each in its shared agents app.</remarks>
public abstract class AgentPlanApiTests
{
    private readonly AgentsAppFactory _app;

    protected AgentPlanApiTests(AgentsAppFactory app) => _app = app;

    [Collection(AgentsAppCollection.Name)]
    public sealed class OnSqlite(AgentsAppFactory app) : AgentPlanApiTests(app);

    [Collection(PostgreSqlAgentsAppCollection.Name)]
    public sealed class OnPostgreSql(PostgreSqlAgentsAppFactory app) : AgentPlanApiTests(app);

    [Theory]
    [InlineData(Sources.ApplianceVm)]
    [InlineData(Sources.ManagementMachine)]
    public async Task GetPlan_ForRole_HoldsOnlyThatRolesTargets(Sources role)
    {
        var (agent, client) = await _app.EnrollAsync($"plan-{role}", role);

        var plan = await client.GetFromJsonAsync<AgentPlan>(AgentApi.PlanPath, ProbeJson.Options);

        Assert.Equal(agent.AgentId, plan!.AgentId);
        Assert.NotEmpty(plan.Targets);
        Assert.All(plan.Targets, t => Assert.True((t.Sources & role) != 0, t.Key));
        Assert.Equal(300, plan.IntervalSeconds);
    }

    [Fact]
    public async Task GetPlan_AgentFromBeforeRevocationProbes_GetsAPlanWithoutThemWhileACurrentAgentGetsThem()
    {
        var (_, client) = await _app.EnrollAsync("plan-kinds", Sources.ManagementMachine);

        // An agent released before the probe-kinds header sends none: its ProbeKind enum has no Revocation, and one such
        // target would make the whole plan unreadable to it.
        var old = await client.GetStringAsync(AgentApi.PlanPath);
        using var current = new HttpRequestMessage(HttpMethod.Get, AgentApi.PlanPath);
        current.Headers.Add(AgentApi.ProbeKindsHeader, AgentApi.ProbeKindsOfThisBuild);
        using var response = await client.SendAsync(current);
        var plan = await response.Content.ReadFromJsonAsync<AgentPlan>(ProbeJson.Options);

        Assert.DoesNotContain("\"Revocation\"", old, StringComparison.Ordinal);
        Assert.Contains("\"Https\"", old, StringComparison.Ordinal);
        Assert.Contains(plan!.Targets, t => t.Kind == ProbeKind.Revocation && t.Host == "crl3.digicert.com");
        Assert.NotEqual(System.Text.Json.JsonSerializer.Deserialize<AgentPlan>(old, ProbeJson.Options)!.Version, plan.Version);
    }

    [Fact]
    public async Task GetPlan_UnchangedWithETag_Returns304ThenNewVersionAfterSettingsChange()
    {
        // Its own app: the settings it saves change every agent's plan (in the shared app, the interval other tests expect).
        using var app = new AgentsAppFactory(null, _app.Provider);
        var (_, client) = await app.EnrollAsync("plan-etag");
        var first = await client.GetAsync(AgentApi.PlanPath);
        var etag = first.Headers.ETag!;

        using var again = new HttpRequestMessage(HttpMethod.Get, AgentApi.PlanPath);
        again.Headers.IfNoneMatch.Add(etag);
        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(again)).StatusCode);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var store = scope.ServiceProvider.GetRequiredService<DashboardSettingsStore>();
            var settings = await store.GetAsync();
            Assert.Empty(await store.SaveAsync(settings with { IntervalMinutes = 2, ProxyUrl = "http://127.0.0.1:3128" }));
        }

        using var afterChange = new HttpRequestMessage(HttpMethod.Get, AgentApi.PlanPath);
        afterChange.Headers.IfNoneMatch.Add(etag);
        var changed = await client.SendAsync(afterChange);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var plan = await changed.Content.ReadFromJsonAsync<AgentPlan>(ProbeJson.Options);
        Assert.Equal(120, plan!.IntervalSeconds);
        Assert.Equal("http://127.0.0.1:3128", plan.Proxy);
        Assert.NotEqual(etag.Tag, changed.Headers.ETag!.Tag);
    }
}

public sealed class AgentPlanInboundTests
{
    [Theory, BothProviders]
    public async Task GetPlan_ManagementMachineWithApplianceVmIps_HasDirectTcp22And6443ToEachIp(DatabaseProvider provider)
    {
        using var app = new AgentsAppFactory(null, provider); // its own: the settings it saves change every agent's plan
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var store = scope.ServiceProvider.GetRequiredService<DashboardSettingsStore>();
            var settings = await store.GetAsync();
            Assert.Empty(await store.SaveAsync(settings with { ApplianceVmIps = ["127.0.0.21", "127.0.0.22"], ControlPlaneIp = "127.0.0.20" }));
        }
        var (_, mgmt) = await app.EnrollAsync("mgmt-inbound", Sources.ManagementMachine);
        var (_, vm) = await app.EnrollAsync("vm-inbound", Sources.ApplianceVm);

        var mgmtPlan = await mgmt.GetFromJsonAsync<AgentPlan>(AgentApi.PlanPath, ProbeJson.Options);
        var vmPlan = await vm.GetFromJsonAsync<AgentPlan>(AgentApi.PlanPath, ProbeJson.Options);

        var inbound = mgmtPlan!.Targets.Where(t => t.Kind == ProbeKind.TcpDirect).ToList();
        foreach (var ip in new[] { "127.0.0.20", "127.0.0.21", "127.0.0.22" })
        {
            foreach (var port in new[] { 22, 6443 })
                Assert.Contains(inbound, t => t.Host == ip && t.Port == port && t.BypassProxy);
        }
        // The appliance VMs reach each other on the upgrade ports only; SSH and the control plane are the management machine's.
        var peers = vmPlan!.Targets.Where(t => t.Kind == ProbeKind.TcpDirect && t.Host == "127.0.0.21").Select(t => t.Port).Order();
        Assert.Equal([2379, 2380, 6443, 10250, 10257, 10259], peers);
        Assert.DoesNotContain(vmPlan.Targets, t => t.Kind == ProbeKind.TcpDirect && t.Host == "127.0.0.20");
    }
}

public sealed class AgentPlanEndpointIntervalTests
{
    [Theory, BothProviders]
    public async Task GetPlan_EndpointWithIntervalOverride_CarriesThatIntervalForItsEndpointOnlyAndChangesTheVersion(DatabaseProvider provider)
    {
        using var app = new AgentsAppFactory(null, provider); // its own: it needs the stored settings untouched and changes an endpoint of every plan
        var (_, vm) = await app.EnrollAsync("vm-intervals", Sources.ApplianceVm);
        var before = await vm.GetFromJsonAsync<AgentPlan>(AgentApi.PlanPath, ProbeJson.Options);
        var endpointKey = before!.Targets[0].EndpointKey;
        Assert.Empty(before.EndpointIntervalSeconds);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ArcBridgeDashboard.Web.Data.ArcBridgeDbContext>();
            var endpoint = db.Endpoints.Single(e => e.Key == endpointKey && e.Cloud == Cloud.AzureCloud && e.CatalogVersion!.IsActive);
            endpoint.IntervalSeconds = 90;
            await db.SaveChangesAsync();
        }
        var after = await vm.GetFromJsonAsync<AgentPlan>(AgentApi.PlanPath, ProbeJson.Options);

        Assert.Equal(new Dictionary<string, int> { [endpointKey] = 90 }, after!.EndpointIntervalSeconds);
        Assert.Equal(300, after.IntervalSeconds);
        Assert.NotEqual(before.Version, after.Version);
    }
}

public sealed class AgentPlanRootsTests
{
    [Theory, BothProviders]
    public async Task GetPlan_SettingsWithRootsAndCloud_CarriesTheSamePemAndCloudAndChangesTheVersion(DatabaseProvider provider)
    {
        using var app = new AgentsAppFactory(null, provider); // its own: it needs the default settings first, then moves every plan to Azure Government
        var (_, vm) = await app.EnrollAsync("vm-roots", Sources.ApplianceVm);
        var before = await vm.GetFromJsonAsync<AgentPlan>(AgentApi.PlanPath, ProbeJson.Options);
        Assert.Null(before!.TrustedRootsPem);
        Assert.Null(before.ExpectedRootsPem);
        Assert.Equal(Cloud.AzureCloud, before.Cloud);

        using var trusted = TestRoot("CN=Plan Test Private Root");
        using var expected = TestRoot("CN=Plan Test Expected Root");
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var store = scope.ServiceProvider.GetRequiredService<DashboardSettingsStore>();
            var settings = await store.GetAsync();
            Assert.Empty(await store.SaveAsync(settings with
            {
                TrustedRootsPem = trusted.ExportCertificatePem(),
                ExpectedRootsPem = expected.ExportCertificatePem(),
                Cloud = Cloud.AzureGovernment,
                Gateway = "https://contoso.gw.arc.azure.com",
            }));
        }
        var after = await vm.GetFromJsonAsync<AgentPlan>(AgentApi.PlanPath, ProbeJson.Options);

        // The same certificates the built-in agent gets from the settings.
        Assert.Equal(trusted.Thumbprint, Assert.Single(DashboardSettingsValidator.ParsePem(after!.TrustedRootsPem!)).Thumbprint);
        Assert.Equal(expected.Thumbprint, Assert.Single(DashboardSettingsValidator.ParsePem(after.ExpectedRootsPem!)).Thumbprint);
        Assert.Equal(Cloud.AzureGovernment, after.Cloud);
        Assert.Equal("https://contoso.gw.arc.azure.com", after.Gateway);
        Assert.NotEqual(before.Version, after.Version);
    }

    private static System.Security.Cryptography.X509Certificates.X509Certificate2 TestRoot(string subject)
    {
        using var key = System.Security.Cryptography.ECDsa.Create();
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest(subject, key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new System.Security.Cryptography.X509Certificates.X509BasicConstraintsExtension(true, false, 0, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
    }
}
