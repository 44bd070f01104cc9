using ArcBridgeDashboard.Web.Agents;
using ArcBridgeDashboard.Web.Data;
using ArcBridgeDashboard.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace ArcBridgeDashboard.Web.Tests.Agents;

/// <remarks>On both providers: <see cref="OnSqlite"/> and <see cref="OnPostgreSql"/>, each in its shared agents app.</remarks>
public abstract class AgentStatusQueryTests(AgentsAppFactory app)
{
    [Collection(AgentsAppCollection.Name)]
    public sealed class OnSqlite(AgentsAppFactory app) : AgentStatusQueryTests(app);

    [Collection(PostgreSqlAgentsAppCollection.Name)]
    public sealed class OnPostgreSql(PostgreSqlAgentsAppFactory app) : AgentStatusQueryTests(app);

    [Fact]
    public async Task ListAsync_BuiltInAgentThatSwept_CarriesItsLatestSweepAndNoteOfTheToken()
    {
        var started = app.Time.GetUtcNow().AddMinutes(-4);
        await using (var db = app.CreateDbContext())
        {
            db.Sweeps.AddRange(
                new Sweep { AgentId = Agent.BuiltInId, Trigger = SweepTrigger.Schedule, StartedAt = started.AddMinutes(-10), FinishedAt = started.AddMinutes(-9) },
                new Sweep { AgentId = Agent.BuiltInId, Trigger = SweepTrigger.Manual, StartedAt = started, FinishedAt = started.AddSeconds(3) });
            await db.SaveChangesAsync();
        }

        var rows = await app.Services.GetRequiredService<AgentStatusQuery>().ListAsync();
        var created = await app.InScopeAsync(s => s.GetRequiredService<EnrollmentService>().CreateTokenAsync("  appliance subnet, rack 4 "));

        Assert.Equal(started, rows.Single(r => r.IsBuiltIn).LastSweepAt);
        Assert.Equal("appliance subnet, rack 4", created.Note);
    }
}
