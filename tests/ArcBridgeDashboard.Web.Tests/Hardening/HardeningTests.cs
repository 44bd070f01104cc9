using System.Net;
using System.Net.Http.Json;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Configuration;
using ArcBridgeDashboard.Web.Tests.Agents;
using ArcBridgeDashboard.Web.Tests.Support;

namespace ArcBridgeDashboard.Web.Tests.Hardening;

/// <summary>Security headers, HSTS and the rate limits on enrolment and ingest, through the real pipeline.</summary>
// SQLite only but the ingest limit: headers and the enrolment limit write no data (a refused guess stores nothing).
public sealed class HardeningTests
{
    private static readonly Dictionary<string, string?> NoSchedule = new() { ["ArcBridge:BuiltInAgentEnabled"] = "false" };

    [Theory]
    [InlineData("/")]
    [InlineData("/settings")]
    [InlineData("/healthz")]
    public async Task EveryAnswer_CarriesCspFrameAncestorsNoneNosniffAndReferrerPolicy(string path)
    {
        using var app = new ArcBridgeAppFactory(NoSchedule);
        using var client = app.CreateClient();

        using var response = await client.GetAsync(path);

        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal); // no inline script, no eval
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
    }

    [Fact]
    public async Task HttpsAnswer_CarriesHsts_HttpAnswerDoesNot()
    {
        using var app = new ArcBridgeAppFactory(NoSchedule);
        using var https = app.CreateClient(new() { BaseAddress = new Uri("https://dashboard.corp.example") });
        using var http = app.CreateClient(new() { BaseAddress = new Uri("http://dashboard.corp.example") });

        using var secure = await https.GetAsync("/healthz");
        using var plain = await http.GetAsync("/healthz");

        Assert.Contains("max-age=31536000", Assert.Single(secure.Headers.GetValues("Strict-Transport-Security")), StringComparison.Ordinal);
        Assert.False(plain.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task EnrolmentBruteForce_IsStoppedWith429AndRetryAfter()
    {
        using var app = new ArcBridgeAppFactory(new Dictionary<string, string?>(NoSchedule) { ["ArcBridge:RateLimits:EnrollPermitLimit"] = "5" });
        using var client = app.CreateClient();
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;

        for (var i = 0; i < 8; i++)
        {
            last?.Dispose();
            last = await client.PostAsJsonAsync(AgentApi.EnrollPath, new EnrollRequest { Token = $"guess-{i}", Name = "guesser", Role = Sources.ApplianceVm }, ProbeJson.Options);
            statuses.Add(last.StatusCode);
        }

        Assert.All(statuses.Take(5), s => Assert.NotEqual(HttpStatusCode.TooManyRequests, s));
        Assert.All(statuses.Skip(5), s => Assert.Equal(HttpStatusCode.TooManyRequests, s));
        Assert.True(last!.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After in seconds");
        Assert.Contains("try again in", await last.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        last.Dispose();
    }

    [Theory, BothProviders]
    public async Task Ingest_OneAgentOverItsLimit_Gets429AndNothingStored_AnotherAgentIsNotHeldBack(DatabaseProvider provider)
    {
        using var app = new AgentsAppFactory(new Dictionary<string, string?> { ["ArcBridge:RateLimits:IngestPermitLimit"] = "2" }, provider);
        var (noisy, noisyClient) = await app.EnrollAsync("noisy");
        var (quiet, quietClient) = await app.EnrollAsync("quiet");
        var target = await AgentTestData.FirstTargetAsync(app, Sources.ApplianceVm);

        for (var i = 0; i < 2; i++)
            (await noisyClient.PostAsJsonAsync(AgentApi.ResultsPath, AgentTestData.Batch(noisy.AgentId, [AgentTestData.ResultFor(target, app.Time.GetUtcNow())]), ProbeJson.Options)).EnsureSuccessStatusCode();
        using var refused = await noisyClient.PostAsJsonAsync(AgentApi.ResultsPath, AgentTestData.Batch(noisy.AgentId, [AgentTestData.ResultFor(target, app.Time.GetUtcNow())]), ProbeJson.Options);
        using var other = await quietClient.PostAsJsonAsync(AgentApi.ResultsPath, AgentTestData.Batch(quiet.AgentId, [AgentTestData.ResultFor(target, app.Time.GetUtcNow())]), ProbeJson.Options);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Equal(2, await AgentTestData.ResultCountAsync(app, noisy.AgentId));
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal(1, await AgentTestData.ResultCountAsync(app, quiet.AgentId));
        noisyClient.Dispose();
        quietClient.Dispose();
    }
}
