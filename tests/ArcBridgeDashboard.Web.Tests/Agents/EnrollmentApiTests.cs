using System.Net;
using System.Net.Http.Json;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Agents;
using ArcBridgeDashboard.Web.Configuration;
using ArcBridgeDashboard.Web.Tests.Support;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ArcBridgeDashboard.Web.Tests.Agents;

/// <remarks>On both providers: <see cref="OnSqlite"/> and <see cref="OnPostgreSql"/>, each in its shared agents app.</remarks>
public abstract class EnrollmentApiTests
{
    private readonly AgentsAppFactory _app;

    protected EnrollmentApiTests(AgentsAppFactory app) => _app = app;

    [Collection(AgentsAppCollection.Name)]
    public sealed class OnSqlite(AgentsAppFactory app) : EnrollmentApiTests(app);

    [Collection(PostgreSqlAgentsAppCollection.Name)]
    public sealed class OnPostgreSql(PostgreSqlAgentsAppFactory app) : EnrollmentApiTests(app);

    [Fact]
    public async Task Enroll_ValidToken_ReturnsCredentialAndStoresOnlyHashes()
    {
        var token = await _app.CreateTokenAsync();
        var response = await _app.CreateClient().PostAsJsonAsync(AgentApi.EnrollPath,
            new EnrollRequest { Token = token, Name = "vm-agent-1", Role = Sources.ApplianceVm, Version = "1.2.3", Os = "Linux" }, ProbeJson.Options);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var enrolled = await response.Content.ReadFromJsonAsync<EnrollResponse>(ProbeJson.Options);
        Assert.StartsWith("abc_", enrolled!.Credential);
        await using var db = _app.CreateDbContext();
        var agent = await db.Agents.SingleAsync(a => a.Id == enrolled.AgentId);
        Assert.Equal(Sources.ApplianceVm, agent.Role);
        Assert.Equal("1.2.3", agent.Version);
        Assert.Equal(AgentSecrets.Hash(enrolled.Credential), agent.CredentialHash);
        Assert.DoesNotContain(enrolled.Credential, agent.CredentialHash);
        var stored = await db.Set<EnrollmentToken>().SingleAsync(t => t.UsedByAgentId == agent.Id);
        Assert.Equal(AgentSecrets.Hash(token), stored.TokenHash);
        Assert.NotNull(stored.UsedAt);
    }

    [Fact]
    public async Task Enroll_ReusedToken_Returns401SayingAlreadyUsed()
    {
        var token = await _app.CreateTokenAsync();
        var client = _app.CreateClient();
        var first = await client.PostAsJsonAsync(AgentApi.EnrollPath, new EnrollRequest { Token = token, Name = "reuse-1", Role = Sources.ApplianceVm }, ProbeJson.Options);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        var second = await client.PostAsJsonAsync(AgentApi.EnrollPath, new EnrollRequest { Token = token, Name = "reuse-2", Role = Sources.ApplianceVm }, ProbeJson.Options);

        Assert.Equal(HttpStatusCode.Unauthorized, second.StatusCode);
        var problem = await second.Content.ReadFromJsonAsync<ProblemDetails>();
        Assert.Contains("already used", problem!.Detail);
        await using var db = _app.CreateDbContext();
        Assert.False(await db.Agents.AnyAsync(a => a.Name == "reuse-2"));
    }

    [Fact]
    public async Task RevokedToken_LeavesTheOpenListAndEnrolsNobody()
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var enrollment = scope.ServiceProvider.GetRequiredService<EnrollmentService>();
        var created = await enrollment.CreateTokenAsync("leaked in a chat");
        Assert.Contains(await enrollment.ListOpenTokensAsync(), t => t.Id == created.Id && t.Note == "leaked in a chat");

        Assert.True(await enrollment.RevokeTokenAsync(created.Id));
        var response = await _app.CreateClient().PostAsJsonAsync(AgentApi.EnrollPath,
            new EnrollRequest { Token = created.Token, Name = "with-revoked-token", Role = Sources.ApplianceVm }, ProbeJson.Options);

        Assert.DoesNotContain(await enrollment.ListOpenTokensAsync(), t => t.Id == created.Id);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("revoked", (await response.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail);
        await using var db = _app.CreateDbContext();
        Assert.False(await db.Agents.AnyAsync(a => a.Name == "with-revoked-token"));
        Assert.False(await enrollment.RevokeTokenAsync(created.Id)); // once
    }

    [Fact]
    public async Task UsedToken_IsNotListedAsOpen()
    {
        var token = await _app.CreateTokenAsync();
        (await _app.CreateClient().PostAsJsonAsync(AgentApi.EnrollPath, new EnrollRequest { Token = token, Name = "used-token", Role = Sources.ApplianceVm }, ProbeJson.Options))
            .EnsureSuccessStatusCode();
        await using var scope = _app.Services.CreateAsyncScope();
        await using var db = _app.CreateDbContext();
        var usedId = (await db.Set<EnrollmentToken>().SingleAsync(t => t.UsedByAgentId != null && db.Agents.Any(a => a.Id == t.UsedByAgentId && a.Name == "used-token"))).Id;

        Assert.DoesNotContain(await scope.ServiceProvider.GetRequiredService<EnrollmentService>().ListOpenTokensAsync(), t => t.Id == usedId);
    }

    [Fact]
    public async Task Enroll_UnknownToken_Returns401()
    {
        var response = await _app.CreateClient().PostAsJsonAsync(AgentApi.EnrollPath,
            new EnrollRequest { Token = "abe_not-a-token", Name = "ghost", Role = Sources.ApplianceVm }, ProbeJson.Options);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("not known", (await response.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail);
    }

    [Fact]
    public async Task Enroll_BadRole_Returns400AndCreatesNothing()
    {
        var token = await _app.CreateTokenAsync();
        var response = await _app.CreateClient().PostAsJsonAsync(AgentApi.EnrollPath,
            new { token, name = "no-role", role = "Toaster" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("role", (await response.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail, StringComparison.OrdinalIgnoreCase);
        await using var db = _app.CreateDbContext();
        Assert.False(await db.Agents.AnyAsync(a => a.Name == "no-role"));
    }

    [Fact]
    public async Task Enroll_NameTaken_Returns409()
    {
        await _app.EnrollAsync("twin");
        var response = await _app.CreateClient().PostAsJsonAsync(AgentApi.EnrollPath,
            new EnrollRequest { Token = await _app.CreateTokenAsync(), Name = "twin", Role = Sources.ApplianceVm }, ProbeJson.Options);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }
}

public sealed class EnrollmentExpiryTests
{
    [Theory, BothProviders]
    public async Task Enroll_ExpiredToken_Returns401SayingExpired(DatabaseProvider provider)
    {
        using var app = new AgentsAppFactory(null, provider); // its own: a day on the fake clock would expire every other test's tokens and agents
        var token = await app.CreateTokenAsync();
        app.Time.Advance(TimeSpan.FromHours(25)); // default lifetime is 24 h

        var response = await app.CreateClient().PostAsJsonAsync(AgentApi.EnrollPath,
            new EnrollRequest { Token = token, Name = "late", Role = Sources.ManagementMachine }, ProbeJson.Options);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("expired", (await response.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail);
        await using var db = app.CreateDbContext();
        Assert.False(await db.Agents.AnyAsync(a => a.Name == "late"));
    }
}
