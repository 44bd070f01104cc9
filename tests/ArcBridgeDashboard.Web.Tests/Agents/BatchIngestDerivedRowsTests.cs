using System.Net.Http.Json;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace ArcBridgeDashboard.Web.Tests.Agents;

/// <summary>The batch path keeps latest, state changes and roll-ups exactly as the one-by-one writer does.</summary>
/// <remarks>On both providers: <see cref="OnSqlite"/> and <see cref="OnPostgreSql"/>, each in its shared agents app.</remarks>
public abstract class BatchIngestDerivedRowsTests
{
    private readonly AgentsAppFactory _app;

    protected BatchIngestDerivedRowsTests(AgentsAppFactory app) => _app = app;

    [Collection(AgentsAppCollection.Name)]
    public sealed class OnSqlite(AgentsAppFactory app) : BatchIngestDerivedRowsTests(app);

    [Collection(PostgreSqlAgentsAppCollection.Name)]
    public sealed class OnPostgreSql(PostgreSqlAgentsAppFactory app) : BatchIngestDerivedRowsTests(app);

    [Fact]
    public async Task PostResults_OutOfOrderBatch_LatestIsNewestStateChangesInTimeOrderRollupCounts()
    {
        var (agent, client) = await _app.EnrollAsync("derived");
        var target = await AgentTestData.FirstTargetAsync(_app, Sources.ApplianceVm);
        var t0 = new DateTimeOffset(2026, 11, 29, 6, 0, 0, TimeSpan.Zero);
        var pass = AgentTestData.ResultFor(target, t0, Verdict.Pass);
        var fail1 = AgentTestData.ResultFor(target, t0.AddMinutes(1), Verdict.Fail);
        var fail2 = AgentTestData.ResultFor(target, t0.AddMinutes(2), Verdict.Fail);

        (await client.PostAsJsonAsync(AgentApi.ResultsPath, AgentTestData.Batch(agent.AgentId, fail2, pass, fail1), ProbeJson.Options)).EnsureSuccessStatusCode();
        var older = AgentTestData.ResultFor(target, t0.AddMinutes(-5), Verdict.Pass);
        (await client.PostAsJsonAsync(AgentApi.ResultsPath, AgentTestData.Batch(agent.AgentId, older), ProbeJson.Options)).EnsureSuccessStatusCode();

        await using var db = _app.CreateDbContext();
        var latest = await db.LatestResults.SingleAsync(l => l.AgentId == agent.AgentId);
        Assert.Equal(Verdict.Fail, latest.Verdict);
        Assert.Equal(fail2.StartedAt, latest.StartedAt);
        Assert.Equal(fail1.StartedAt, latest.StateSince);
        Assert.Equal(fail2.Id, (await db.Results.SingleAsync(r => r.Id == latest.ResultRowId)).ResultId);
        var changes = await db.StateChanges.Where(s => s.AgentId == agent.AgentId).OrderBy(s => s.At).ToListAsync();
        Assert.Equal([(null, Verdict.Pass), (Verdict.Pass, Verdict.Fail)], changes.Select(c => (c.From, c.To)));
        var hours = await db.HourlyRollups.Where(h => h.AgentId == agent.AgentId).ToListAsync();
        Assert.Equal(4, hours.Sum(h => h.Count));
        Assert.Equal(2, hours.Sum(h => h.FailCount));
        // The late result (05:55) is in the day of the rest: one daily row, hours 5 and 6, only 6 failing.
        var day = await db.DailyRollups.SingleAsync(d => d.AgentId == agent.AgentId);
        Assert.Equal((t0.AddHours(-6), 4, 2, 2), (day.DayStart, day.Count, day.PassCount, day.FailCount));
        Assert.Equal(((1 << 5) | (1 << 6), 1 << 6), (day.HourMask, day.FailMask));
        Assert.Equal(4, await AgentTestData.ResultCountAsync(_app, agent.AgentId));
    }
}
