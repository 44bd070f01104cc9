using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Agents;
using ArcBridgeDashboard.Web.Tests.Support;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ArcBridgeDashboard.Web.Tests.Agents;

/// <remarks>On both providers: <see cref="OnSqlite"/> and <see cref="OnPostgreSql"/>, each in its shared agents app.</remarks>
public abstract class ResultIngestApiTests
{
    private readonly AgentsAppFactory _app;

    protected ResultIngestApiTests(AgentsAppFactory app) => _app = app;

    [Collection(AgentsAppCollection.Name)]
    public sealed class OnSqlite(AgentsAppFactory app) : ResultIngestApiTests(app);

    [Collection(PostgreSqlAgentsAppCollection.Name)]
    public sealed class OnPostgreSql(PostgreSqlAgentsAppFactory app) : ResultIngestApiTests(app);

    [Fact]
    public async Task PostResults_ValidBatch_StoresAcksAndUpdatesLatest()
    {
        var (agent, client) = await _app.EnrollAsync("ingest-ok");
        var target = await AgentTestData.FirstTargetAsync(_app, Sources.ApplianceVm);
        var result = AgentTestData.ResultFor(target, _app.Time.GetUtcNow(), Verdict.Fail);

        var response = await client.PostAsJsonAsync(AgentApi.ResultsPath, AgentTestData.Batch(agent.AgentId, result), ProbeJson.Options);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var ack = await response.Content.ReadFromJsonAsync<BatchAck>(ProbeJson.Options);
        Assert.Equal([result.Id], ack!.Acked);
        await using var db = _app.CreateDbContext();
        var latest = await db.LatestResults.SingleAsync(l => l.AgentId == agent.AgentId);
        Assert.Equal(Verdict.Fail, latest.Verdict);
        Assert.Equal(ReasonCode.TcpTimeout, latest.Reason);
    }

    [Fact]
    public async Task PostResults_SameBatchTwice_StoredOnceAndAckedBothTimes()
    {
        var (agent, client) = await _app.EnrollAsync("ingest-twice");
        var target = await AgentTestData.FirstTargetAsync(_app, Sources.ApplianceVm);
        var batch = AgentTestData.Batch(agent.AgentId,
            AgentTestData.ResultFor(target, _app.Time.GetUtcNow()), AgentTestData.ResultFor(target, _app.Time.GetUtcNow().AddSeconds(1)));

        var first = await (await client.PostAsJsonAsync(AgentApi.ResultsPath, batch, ProbeJson.Options)).Content.ReadFromJsonAsync<BatchAck>(ProbeJson.Options);
        var second = await (await client.PostAsJsonAsync(AgentApi.ResultsPath, batch, ProbeJson.Options)).Content.ReadFromJsonAsync<BatchAck>(ProbeJson.Options);

        Assert.Equal(2, first!.Acked.Count);
        Assert.Equal(first.Acked.Order(), second!.Acked.Order());
        Assert.Equal(2, await AgentTestData.ResultCountAsync(_app, agent.AgentId));
    }

    [Fact]
    public async Task PostResults_AsAnotherAgent_Returns403AndStoresNothing()
    {
        var (victim, _) = await _app.EnrollAsync("victim");
        var (_, attacker) = await _app.EnrollAsync("attacker");
        var target = await AgentTestData.FirstTargetAsync(_app, Sources.ApplianceVm);

        var response = await attacker.PostAsJsonAsync(AgentApi.ResultsPath,
            AgentTestData.Batch(victim.AgentId, AgentTestData.ResultFor(target, _app.Time.GetUtcNow())), ProbeJson.Options);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("only its own", (await response.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail);
        Assert.Equal(0, await AgentTestData.ResultCountAsync(_app, victim.AgentId));
    }

    [Theory]
    [InlineData("{\"agentId\": 1, \"results\": [", "Malformed JSON")]
    [InlineData("{\"agentId\": \"x\", \"results\": []}", "$.agentId")]
    [InlineData("{\"results\": []}", "agentId")]
    public async Task PostResults_MalformedJson_Returns400ProblemDetailsAndStoresNothing(string body, string expected)
    {
        var (agent, client) = await _app.EnrollAsync($"malformed-{Guid.NewGuid():N}");

        var response = await client.PostAsync(AgentApi.ResultsPath, new StringContent(body.Replace("1,", $"{agent.AgentId},"), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>();
        Assert.Contains(expected, problem!.Title + " " + problem.Detail);
        Assert.Equal(0, await AgentTestData.ResultCountAsync(_app, agent.AgentId));
    }

    [Fact]
    public async Task PostResults_OneInvalidResult_Returns400NamingItAndStoresNoneOfTheBatch()
    {
        var (agent, client) = await _app.EnrollAsync("one-bad");
        var target = await AgentTestData.FirstTargetAsync(_app, Sources.ApplianceVm);
        var good = AgentTestData.ResultFor(target, _app.Time.GetUtcNow());
        var bad = AgentTestData.ResultFor(target, _app.Time.GetUtcNow()) with { Port = 70000 };

        var response = await client.PostAsJsonAsync(AgentApi.ResultsPath, AgentTestData.Batch(agent.AgentId, good, bad), ProbeJson.Options);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("results[1].port", (await response.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail);
        Assert.Equal(0, await AgentTestData.ResultCountAsync(_app, agent.AgentId));
    }

    [Fact]
    public async Task PostResults_DuplicateIdInsideBatch_Returns400()
    {
        var (agent, client) = await _app.EnrollAsync("dup-in-batch");
        var target = await AgentTestData.FirstTargetAsync(_app, Sources.ApplianceVm);
        var result = AgentTestData.ResultFor(target, _app.Time.GetUtcNow());

        var response = await client.PostAsJsonAsync(AgentApi.ResultsPath, AgentTestData.Batch(agent.AgentId, result, result), ProbeJson.Options);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("appears twice", (await response.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail);
    }

    [Fact]
    public async Task PostResults_OverMaxBatchSize_Returns413AndStoresNothing()
    {
        var (agent, client) = await _app.EnrollAsync("oversized");
        var target = await AgentTestData.FirstTargetAsync(_app, Sources.ApplianceVm);
        var results = Enumerable.Range(0, AgentsAppFactory.MaxBatchResults + 1)
            .Select(i => AgentTestData.ResultFor(target, _app.Time.GetUtcNow().AddSeconds(i))).ToArray();

        var response = await client.PostAsJsonAsync(AgentApi.ResultsPath, AgentTestData.Batch(agent.AgentId, results), ProbeJson.Options);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("limit is 50", (await response.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail);
        Assert.Equal(0, await AgentTestData.ResultCountAsync(_app, agent.AgentId));
    }

    [Fact]
    public async Task PostResults_UnknownOrOtherRolesTarget_WholeBatchRefusedNothingStored()
    {
        var (agent, client) = await _app.EnrollAsync("stale-plan");
        var target = await AgentTestData.FirstTargetAsync(_app, Sources.ApplianceVm);
        var otherRole = await AgentTestData.FirstTargetAsync(_app, Sources.ManagementMachine, notFrom: Sources.ApplianceVm);
        var fine = AgentTestData.ResultFor(target, _app.Time.GetUtcNow());
        var unknown = AgentTestData.ResultFor(target, _app.Time.GetUtcNow()) with { TargetKey = "gone.example.invalid:443/tcp" };
        var notMine = AgentTestData.ResultFor(otherRole, _app.Time.GetUtcNow());

        var first = await client.PostAsJsonAsync(AgentApi.ResultsPath, AgentTestData.Batch(agent.AgentId, fine, unknown), ProbeJson.Options);
        var second = await client.PostAsJsonAsync(AgentApi.ResultsPath, AgentTestData.Batch(agent.AgentId, fine, notMine), ProbeJson.Options);

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (first.StatusCode, second.StatusCode));
        Assert.Contains("results[1]: target gone.example.invalid:443/tcp", (await first.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail);
        Assert.Contains($"results[1]: target {otherRole.Key}", (await second.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail);
        Assert.Equal(0, await AgentTestData.ResultCountAsync(_app, agent.AgentId)); // not even the good one
    }

    [Fact]
    public async Task PostResults_HugeDetails_RefusedNothingStored()
    {
        var (agent, client) = await _app.EnrollAsync("huge-details");
        var target = await AgentTestData.FirstTargetAsync(_app, Sources.ApplianceVm);
        var huge = AgentTestData.ResultFor(target, _app.Time.GetUtcNow()) with { Details = new ProbeDetails { ConnectedAddress = new string('x', 70_000) } };

        var response = await client.PostAsJsonAsync(AgentApi.ResultsPath,
            AgentTestData.Batch(agent.AgentId, AgentTestData.ResultFor(target, _app.Time.GetUtcNow()), huge), ProbeJson.Options);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("results[1].details:", (await response.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail);
        Assert.Contains("ArcBridge:Agents:MaxDetailsBytes", (await response.Content.ReadAsStringAsync()));
        Assert.Equal(0, await AgentTestData.ResultCountAsync(_app, agent.AgentId));
    }

    [Fact]
    public async Task PostResults_AgentClockTwoHoursAhead_OffsetReportedAndTimesMovedOntoServerClock()
    {
        var (agent, client) = await _app.EnrollAsync("skewed");
        var target = await AgentTestData.FirstTargetAsync(_app, Sources.ApplianceVm);
        var serverNow = _app.Time.GetUtcNow();
        var agentNow = serverNow.AddHours(2);
        var result = AgentTestData.ResultFor(target, agentNow.AddSeconds(-30));
        using var request = new HttpRequestMessage(HttpMethod.Post, AgentApi.ResultsPath)
        {
            Content = JsonContent.Create(AgentTestData.Batch(agent.AgentId, result), options: ProbeJson.Options),
        };
        request.Headers.Add(AgentApi.AgentTimeHeader, agentNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));

        var ack = await (await client.SendAsync(request)).Content.ReadFromJsonAsync<BatchAck>(ProbeJson.Options);

        Assert.Equal(TimeSpan.FromHours(2).TotalMilliseconds, ack!.ClockOffsetMs);
        await using var db = _app.CreateDbContext();
        Assert.Equal(TimeSpan.FromHours(2).TotalMilliseconds, (await db.Agents.SingleAsync(a => a.Id == agent.AgentId)).ClockOffsetMs);
        var stored = await db.Results.SingleAsync(r => r.ResultId == result.Id);
        Assert.Equal(serverNow.AddSeconds(-30), stored.StartedAt);
    }

    [Fact]
    public async Task PostResults_HttpsServersDates_AgentsPageShowsTheAgentsClockAgainstAzureAndALaterBatchWithoutDatesKeepsIt()
    {
        var (agent, client) = await _app.EnrollAsync("dated");
        var target = await AgentTestData.FirstTargetAsync(_app, Sources.ApplianceVm);
        ProbeResult Dated(double offsetMs) => AgentTestData.ResultFor(target, _app.Time.GetUtcNow()) with
        {
            Details = new ProbeDetails { Http = new HttpDetails { StatusCode = 401, ClockOffsetMs = offsetMs } },
        };

        await client.PostAsJsonAsync(AgentApi.ResultsPath, AgentTestData.Batch(agent.AgentId, Dated(2_400_000), Dated(2_500_000), Dated(-1_000)), ProbeJson.Options);
        await client.PostAsJsonAsync(AgentApi.ResultsPath, AgentTestData.Batch(agent.AgentId, AgentTestData.ResultFor(target, _app.Time.GetUtcNow())), ProbeJson.Options);

        var rows = await _app.Services.GetRequiredService<AgentStatusQuery>().ListAsync();
        Assert.Equal(-2_400_000, rows.Single(r => r.Name == "dated").AzureClockOffsetMs); // the agent is 40 min behind Azure
    }

    [Fact]
    public async Task PostResults_BadClockHeader_Returns400()
    {
        var (agent, client) = await _app.EnrollAsync("bad-clock");
        var target = await AgentTestData.FirstTargetAsync(_app, Sources.ApplianceVm);
        using var request = new HttpRequestMessage(HttpMethod.Post, AgentApi.ResultsPath)
        {
            Content = JsonContent.Create(AgentTestData.Batch(agent.AgentId, AgentTestData.ResultFor(target, _app.Time.GetUtcNow())), options: ProbeJson.Options),
        };
        request.Headers.Add(AgentApi.AgentTimeHeader, "yesterday");

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await AgentTestData.ResultCountAsync(_app, agent.AgentId));
    }

    [Fact]
    public async Task PostResults_FarFutureAndYear9999Clock_RefusedWhole_FarPastRejectedAloneWithASentence()
    {
        var (agent, client) = await _app.EnrollAsync("time-abuse");
        var target = await AgentTestData.FirstTargetAsync(_app, Sources.ApplianceVm);
        var now = _app.Time.GetUtcNow();
        // A far-future result would stay "latest" for ever; a far-past one is older than retention.
        var fine = AgentTestData.ResultFor(target, now.AddMinutes(-1), Verdict.Fail);
        var future = await client.PostAsJsonAsync(AgentApi.ResultsPath, AgentTestData.Batch(agent.AgentId, fine, AgentTestData.ResultFor(target, now.AddDays(1))), ProbeJson.Options);
        var past = await client.PostAsJsonAsync(AgentApi.ResultsPath, AgentTestData.Batch(agent.AgentId, fine, AgentTestData.ResultFor(target, now.AddDays(-400))), ProbeJson.Options);
        using var request = new HttpRequestMessage(HttpMethod.Post, AgentApi.ResultsPath)
        {
            Content = JsonContent.Create(AgentTestData.Batch(agent.AgentId, AgentTestData.ResultFor(target, now)), options: ProbeJson.Options),
        };
        request.Headers.Add(AgentApi.AgentTimeHeader, "253402300799999"); // 9999-12-31T23:59:59.999Z
        var year9999 = await client.SendAsync(request);

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.OK, HttpStatusCode.BadRequest), (future.StatusCode, past.StatusCode, year9999.StatusCode));
        Assert.Contains("results[1].startedAt", (await future.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail);
        Assert.Contains("more than 10 years from the dashboard's clock", (await year9999.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail);
        // Too old is rejected alone, with the sentence; the in-window result of the same batch is kept (after a long
        // outage an agent's backlog straddles the raw window).
        var pastAck = (await past.Content.ReadFromJsonAsync<BatchAck>(ProbeJson.Options))!;
        Assert.Equal([fine.Id], pastAck.Acked);
        Assert.Contains("outside what the dashboard keeps", Assert.Single(pastAck.Rejected).Error, StringComparison.Ordinal);
        Assert.Equal(1, await AgentTestData.ResultCountAsync(_app, agent.AgentId));
        await using var db = _app.CreateDbContext();
        var latest = Assert.Single(await db.LatestResults.Where(l => l.AgentId == agent.AgentId).ToListAsync());
        Assert.Equal(fine.StartedAt, latest.StartedAt); // the far-future pass pinned nothing
    }
}
