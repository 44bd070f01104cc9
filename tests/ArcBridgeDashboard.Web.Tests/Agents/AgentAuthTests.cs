using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Agents;
using ArcBridgeDashboard.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace ArcBridgeDashboard.Web.Tests.Agents;

/// <remarks>On both providers: <see cref="OnSqlite"/> and <see cref="OnPostgreSql"/>, each in its shared agents app.</remarks>
public abstract class AgentAuthTests
{
    private readonly AgentsAppFactory _app;

    protected AgentAuthTests(AgentsAppFactory app) => _app = app;

    [Collection(AgentsAppCollection.Name)]
    public sealed class OnSqlite(AgentsAppFactory app) : AgentAuthTests(app);

    [Collection(PostgreSqlAgentsAppCollection.Name)]
    public sealed class OnPostgreSql(PostgreSqlAgentsAppFactory app) : AgentAuthTests(app);

    [Theory]
    [InlineData(AgentApi.PlanPath)]
    [InlineData(AgentApi.CommandsPath)]
    public async Task Get_NoCredential_Returns401(string path)
    {
        var response = await _app.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task PostResults_NoCredential_Returns401AndStoresNothing()
    {
        var target = await AgentTestData.FirstTargetAsync(_app, Sources.ApplianceVm);
        var response = await _app.CreateClient().PostAsJsonAsync(AgentApi.ResultsPath,
            AgentTestData.Batch(1, AgentTestData.ResultFor(target, _app.Time.GetUtcNow())), ProbeJson.Options);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, await AgentTestData.ResultCountAsync(_app, 1));
    }

    [Fact]
    public async Task GetPlan_WrongSecretForRealAgent_Returns401()
    {
        var (agent, _) = await _app.EnrollAsync("forged-target");
        var client = _app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", $"abc_{agent.AgentId}_guessed");

        var response = await client.GetAsync(AgentApi.PlanPath);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task PostResults_AfterRevoke_Returns401AndStoresNothing()
    {
        var (agent, client) = await _app.EnrollAsync("to-revoke");
        var target = await AgentTestData.FirstTargetAsync(_app, Sources.ApplianceVm);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(AgentApi.PlanPath)).StatusCode);

        await using (var scope = _app.Services.CreateAsyncScope())
            Assert.True(await scope.ServiceProvider.GetRequiredService<EnrollmentService>().RevokeAsync(agent.AgentId));

        var plan = await client.GetAsync(AgentApi.PlanPath);
        var post = await client.PostAsJsonAsync(AgentApi.ResultsPath,
            AgentTestData.Batch(agent.AgentId, AgentTestData.ResultFor(target, _app.Time.GetUtcNow())), ProbeJson.Options);
        Assert.Equal(HttpStatusCode.Unauthorized, plan.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, post.StatusCode);
        Assert.Contains("revoked", await post.Content.ReadAsStringAsync());
        Assert.Equal(0, await AgentTestData.ResultCountAsync(_app, agent.AgentId));
    }
}
