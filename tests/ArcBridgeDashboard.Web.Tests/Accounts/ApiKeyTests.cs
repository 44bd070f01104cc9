using System.Net;
using ArcBridgeDashboard.Web.Accounts;
using ArcBridgeDashboard.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace ArcBridgeDashboard.Web.Tests.Accounts;

/// <summary>
/// API keys: shown once, stored hashed, accepted in both headers with their role, refused once revoked. On both
/// providers (<see cref="OnSqlite"/>, <see cref="OnPostgreSql"/>), each in its shared default app.
/// </summary>
public abstract class ApiKeyTests(DefaultAppFactory app)
{
    [Collection(DefaultAppCollection.Name)]
    public sealed class OnSqlite(DefaultAppFactory app) : ApiKeyTests(app);

    [Collection(PostgreSqlDefaultAppCollection.Name)]
    public sealed class OnPostgreSql(PostgreSqlDefaultAppFactory app) : ApiKeyTests(app);

    private async Task<ApiKeyService.Created> CreateAsync(string role)
    {
        app.CreateAnonymousClient().Dispose();
        return await app.Services.GetRequiredService<ApiKeyService>().CreateAsync($"script-{Guid.NewGuid():N}"[..20], role, "test");
    }

    [Fact]
    public async Task ViewerKey_OpensApiOpenApiAndMetrics_InEitherHeader()
    {
        var key = await CreateAsync(DashboardRoles.Viewer);
        using var client = app.CreateAnonymousClient();
        foreach (var path in new[] { "/api/v1/status", "/openapi/v1.json", "/metrics" })
        {
            using var viaAuthorization = new HttpRequestMessage(HttpMethod.Get, path);
            viaAuthorization.Headers.TryAddWithoutValidation("Authorization", "ApiKey " + key.Key);
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(viaAuthorization)).StatusCode);
            using var viaHeader = new HttpRequestMessage(HttpMethod.Get, path);
            viaHeader.Headers.Add("X-Api-Key", key.Key);
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(viaHeader)).StatusCode);
        }
        // Its role counts: a Viewer key does not open an Admin page.
        using var settings = new HttpRequestMessage(HttpMethod.Get, "/settings");
        settings.Headers.Add("X-Api-Key", key.Key);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(settings)).StatusCode);
    }

    [Fact]
    public async Task Key_StoredAsHashOnly_AndRefusedOnceRevokedOrWrong()
    {
        var key = await CreateAsync(DashboardRoles.Admin);
        await using (var db = app.CreateDbContext())
        {
            var stored = db.ApiKeys.Single(k => k.Id == key.Id);
            Assert.Equal(ApiKeyService.Hash(key.Key), stored.Hash);
            Assert.DoesNotContain(key.Key, stored.Hash + stored.Prefix + stored.Name, StringComparison.Ordinal);
        }
        using var client = app.CreateAnonymousClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key.Key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/readiness")).StatusCode);

        await app.Services.GetRequiredService<ApiKeyService>().RevokeAsync(key.Id);
        using var revoked = await client.GetAsync("/api/v1/readiness");
        Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
        Assert.Contains("unknown or revoked", await revoked.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var wrong = app.CreateAnonymousClient();
        wrong.DefaultRequestHeaders.Add("X-Api-Key", key.Key + "x");
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("/api/v1/status")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("/metrics")).StatusCode);
    }
}
