using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Testing;
using ArcBridgeDashboard.Web.Configuration;
using ArcBridgeDashboard.Web.Data;
using ArcBridgeDashboard.Web.Monitoring;
using ArcBridgeDashboard.Web.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ArcBridgeDashboard.Web.Tests.Api;

/// <summary>
/// The REST API, its OpenAPI document and the Prometheus endpoint on one app whose catalog has two loopback endpoints
/// of its own: results go in through the product's ResultStore (so the metrics recorder sees them too) and come back
/// out through the API as a script would read them. On both providers: <see cref="OnSqlite"/>, <see cref="OnPostgreSql"/>.
/// </summary>
public abstract class RestApiTests(RestApiTests.ApiApp app)
{
    public sealed class OnSqlite(ApiApp.Sqlite app) : RestApiTests(app), IClassFixture<ApiApp.Sqlite>;

    public sealed class OnPostgreSql(ApiApp.PostgreSql app) : RestApiTests(app), IClassFixture<ApiApp.PostgreSql>;

    private const string Failing = "Api failing";
    private const string Passing = "Api passing";

    public abstract class ApiApp(DatabaseProvider provider) : LoopbackCatalogApp(provider,
        TestDatabase.Loopback(Failing, LoopbackTlsServer.ClosedPort()),
        TestDatabase.Loopback(Passing, LoopbackTlsServer.ClosedPort()))
    {
        public sealed class Sqlite() : ApiApp(DatabaseProvider.Sqlite);

        public sealed class PostgreSql() : ApiApp(DatabaseProvider.PostgreSql);

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("ArcBridge:Metrics:AllowedNetworks:0", "127.0.0.0/8");
        }

        private readonly SemaphoreSlim _once = new(1, 1);
        private bool _stored;

        /// <summary>Stores, once for the class, a failing and a passing sweep of the built-in agent at the fake clock's time.</summary>
        public async Task EnsureResultsAsync()
        {
            await _once.WaitAsync();
            try
            {
                if (_stored)
                    return;
                await using var scope = Services.CreateAsyncScope();
                var store = scope.ServiceProvider.GetRequiredService<ResultStore>();
                var db = scope.ServiceProvider.GetRequiredService<ArcBridgeDbContext>();
                var now = Time.GetUtcNow();
                var pass = new SweepPass { Id = Guid.NewGuid(), Trigger = SweepPass.Manual, StartedAt = now.AddSeconds(-5), TargetCount = 2 };
                var failing = await TargetAsync(db, Failing);
                var passing = await TargetAsync(db, Passing);
                await store.StoreAsync(Agent.BuiltInId,
                [
                    ResultFor(failing, Verdict.Fail, now.AddSeconds(-4)) with { Pass = pass },
                    ResultFor(passing, Verdict.Pass, now.AddSeconds(-3)) with { Pass = pass with { Last = true } },
                ], new ResultStore.Sender(), default);
                _stored = true;
            }
            finally
            {
                _once.Release();
            }
        }

        private static async Task<ProbeTarget> TargetAsync(ArcBridgeDbContext db, string service)
        {
            var target = await db.Targets.Include(t => t.Endpoint).SingleAsync(t => t.Endpoint!.Service == service);
            return target.ToContract(target.Endpoint!);
        }

        private static ProbeResult ResultFor(ProbeTarget target, Verdict verdict, DateTimeOffset at) => new()
        {
            EndpointKey = target.EndpointKey, TargetKey = target.Key, Service = target.Service, Host = target.Host!,
            Port = target.Port, Protocol = target.Protocol, Sources = target.Sources, Verdict = verdict,
            Phase = verdict == Verdict.Pass ? Phase.None : Phase.Tcp,
            Reason = verdict == Verdict.Pass ? ReasonCode.Ok : ReasonCode.TcpRefused,
            Message = verdict == Verdict.Pass ? "reachable" : "connection refused", StartedAt = at,
            TimingsMs = new Dictionary<string, double> { ["dns"] = 1.5, ["tcp"] = 30, ["total"] = 32 },
        };
    }

    [Fact]
    public async Task Status_AfterASweep_GivesEachTargetsRoleStatusByNameAndTheBannersReadiness()
    {
        await app.EnsureResultsAsync();
        using var client = app.CreateClient();

        using var status = JsonDocument.Parse(await client.GetStringAsync("/api/v1/status"));
        using var readiness = JsonDocument.Parse(await client.GetStringAsync("/api/v1/readiness"));

        var failing = Target(status, Failing);
        var role = failing.GetProperty("roles").EnumerateArray().Single(r => r.GetProperty("role").GetString() == "ManagementMachine");
        Assert.Equal("Fail", role.GetProperty("status").GetString());
        Assert.Equal("TcpRefused", role.GetProperty("reason").GetString());
        Assert.Equal("connection refused", role.GetProperty("message").GetString());
        Assert.Equal("Pass", Target(status, Passing).GetProperty("roles").EnumerateArray()
            .Single(r => r.GetProperty("role").GetString() == "ManagementMachine").GetProperty("status").GetString());
        // The API's readiness is the banner's: the same counts from both routes, and not ready with a failure.
        var fromStatus = status.RootElement.GetProperty("readiness");
        Assert.False(readiness.RootElement.GetProperty("ready").GetBoolean());
        Assert.True(readiness.RootElement.GetProperty("failing").GetInt32() >= 1);
        Assert.Equal(fromStatus.GetProperty("passing").GetInt32(), readiness.RootElement.GetProperty("passing").GetInt32());
        Assert.Equal(fromStatus.GetProperty("total").GetInt32(), readiness.RootElement.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task History_EndpointTargetResultsAndSweeps_ReadBackWhatWasStored()
    {
        await app.EnsureResultsAsync();
        using var client = app.CreateClient();
        using var status = JsonDocument.Parse(await client.GetStringAsync("/api/v1/status"));
        var failing = Target(status, Failing);
        var endpointId = failing.GetProperty("endpointId").GetInt32();
        var targetId = failing.GetProperty("targetId").GetInt32();

        using var endpoint = JsonDocument.Parse(await client.GetStringAsync($"/api/v1/endpoints/{endpointId}"));
        using var results = JsonDocument.Parse(await client.GetStringAsync($"/api/v1/targets/{targetId}/results?pageSize=10"));
        using var sweeps = JsonDocument.Parse(await client.GetStringAsync($"/api/v1/sweeps?agent={Agent.BuiltInId}"));

        Assert.Equal(Failing, endpoint.RootElement.GetProperty("service").GetString());
        Assert.Contains(endpoint.RootElement.GetProperty("changes").EnumerateArray(), c => c.GetProperty("to").GetString() == "Fail");
        var result = Assert.Single(results.RootElement.GetProperty("items").EnumerateArray());
        Assert.Equal("Fail", result.GetProperty("verdict").GetString());
        Assert.Equal(30, result.GetProperty("timingsMs").GetProperty("tcp").GetDouble());
        var sweep = sweeps.RootElement.GetProperty("items").EnumerateArray()
            .First(s => s.GetProperty("id").GetInt64() == result.GetProperty("sweepId").GetInt64());
        Assert.Equal(1, sweep.GetProperty("fail").GetInt32());
        Assert.Equal(1, sweep.GetProperty("pass").GetInt32());
        using var detail = JsonDocument.Parse(await client.GetStringAsync($"/api/v1/sweeps/{sweep.GetProperty("id").GetInt64()}"));
        Assert.Equal(2, detail.RootElement.GetProperty("results").GetArrayLength());
    }

    [Theory]
    [InlineData("/api/v1/targets/1/results?pageSize=0", HttpStatusCode.BadRequest, "pageSize must be between 1 and 200, not 0.")]
    [InlineData("/api/v1/sweeps?page=0", HttpStatusCode.BadRequest, "page must be 1 or more, not 0.")]
    [InlineData("/api/v1/endpoints/999999", HttpStatusCode.NotFound, "There is no endpoint 999999.")]
    [InlineData("/api/v1/sweeps/999999", HttpStatusCode.NotFound, "There is no sweep 999999.")]
    public async Task BadRequests_AnswerWithTheStatusAndASentenceSayingWhy(string path, HttpStatusCode expected, string detail)
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync(path);

        Assert.Equal(expected, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(detail, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task OpenApi_DocumentsThePublicApiOnly_AndTheDocsPageLoadsItWithoutTheInternet()
    {
        using var client = app.CreateClient();

        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
        var docs = await client.GetStringAsync("/api/docs/");
        using var script = await client.GetAsync("/api/docs/scalar.js");

        var paths = document.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/v1/status", paths);
        Assert.Contains("/api/v1/targets/{id}/results", paths);
        Assert.Contains("/api/v1/sweeps/{id}", paths);
        Assert.DoesNotContain(paths, p => p.StartsWith("/api/agents", StringComparison.Ordinal));
        Assert.Equal("ArcBridge Dashboard API", document.RootElement.GetProperty("info").GetProperty("title").GetString());
        // Operations networks often have no Internet: the interactive page's script is served by the dashboard.
        Assert.Contains("openapi/v1.json", docs, StringComparison.Ordinal);
        Assert.DoesNotMatch("src=\"https?://", docs);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
    }

    [Fact]
    public async Task Metrics_FromAnAllowedNetwork_ShowProbeSuccessReadinessAndPhaseDurations()
    {
        await app.EnsureResultsAsync();

        var text = await Eventually.UntilAsync(
            () => ScrapeAsync(IPAddress.Loopback),
            t => t.Body.Contains("phase=\"tcp\"", StringComparison.Ordinal),
            "the tcp phase histogram of the stored results");

        Assert.Equal(HttpStatusCode.OK, text.Status);
        Assert.Contains($"arcbridge_probe_success{{service=\"{Failing}\"", text.Body, StringComparison.Ordinal);
        Assert.Matches($"arcbridge_probe_success\\{{service=\"{Failing}\"[^}}]*role=\"ManagementMachine\"[^}}]*\\}} 0", text.Body);
        Assert.Matches($"arcbridge_probe_success\\{{service=\"{Passing}\"[^}}]*\\}} 1", text.Body);
        Assert.Matches("arcbridge_readiness_checks [1-9]", text.Body);
        Assert.Contains("arcbridge_ready 0", text.Body, StringComparison.Ordinal);
        Assert.Matches($"arcbridge_probe_phase_duration_seconds_bucket\\{{service=\"{Failing}\"[^}}]*phase=\"tcp\",le=\"0.05\"\\}} 1", text.Body);
    }

    [Fact]
    public async Task Metrics_FromAnotherNetworkWithoutCredentials_AreRefusedWithAReason()
    {
        var refused = await ScrapeAsync(IPAddress.Parse("192.0.2.7"));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
        Assert.Contains("ArcBridge:Metrics:AllowedNetworks", refused.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("arcbridge_probe_success", refused.Body, StringComparison.Ordinal);
    }

    private async Task<(HttpStatusCode Status, string Body)> ScrapeAsync(IPAddress from)
    {
        // TestServer has no socket: set the caller's address the way Kestrel would.
        var context = await app.Server.SendAsync(c =>
        {
            c.Request.Method = "GET";
            c.Request.Path = "/metrics";
            c.Connection.RemoteIpAddress = from;
        });
        using var reader = new StreamReader(context.Response.Body);
        return ((HttpStatusCode)context.Response.StatusCode, await reader.ReadToEndAsync());
    }

    private static JsonElement Target(JsonDocument status, string service) =>
        status.RootElement.GetProperty("targets").EnumerateArray().Single(t => t.GetProperty("service").GetString() == service);
}
