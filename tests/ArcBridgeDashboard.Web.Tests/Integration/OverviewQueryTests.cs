using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Configuration;
using ArcBridgeDashboard.Web.Data;
using ArcBridgeDashboard.Web.Monitoring;
using ArcBridgeDashboard.Web.Monitoring.Queries;
using ArcBridgeDashboard.Web.Monitoring.Status;
using ArcBridgeDashboard.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace ArcBridgeDashboard.Web.Tests.Integration;

public sealed class OverviewQueryTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 6, 0, 0, TimeSpan.Zero);

    [Theory, BothProviders]
    public async Task GetAsync_TwoAgentsOfOneRoleAndOldResults_MergesWorstFirstMarksStaleAndFlagsUncoveredRole(DatabaseProvider provider)
    {
        // Its own app: readiness counts every endpoint and agent of the database, prepared here with just these two.
        using var app = new ArcBridgeAppFactory(new Dictionary<string, string?> { ["ArcBridge:BuiltInAgentEnabled"] = "false" }, provider: provider);
        var both = TestDatabase.Loopback("Both sources", 443) with { Sources = Sources.ManagementMachine | Sources.ApplianceVm };
        await TestDatabase.CreateWithCatalogAsync(app.Database, both, TestDatabase.Loopback("Old news", 8443));
        app.CreateClient().Dispose();
        await using var db = app.CreateDbContext();
        db.Agents.Add(new Agent { Name = "mgmt-2", Role = Sources.ManagementMachine, CreatedAt = Now });
        await db.SaveChangesAsync();
        var second = await db.Agents.SingleAsync(a => a.Name == "mgmt-2");
        var targets = await db.Targets.Include(t => t.Endpoint).ToListAsync();
        var bothTarget = targets.Single(t => t.Endpoint!.Service == "Both sources");
        var oldTarget = targets.Single(t => t.Endpoint!.Service == "Old news");
        await TestResults.StoreAsync(db, Agent.BuiltInId, Result(bothTarget, Verdict.Pass, Now.AddMinutes(-1)));
        await TestResults.StoreAsync(db, second.Id, Result(bothTarget, Verdict.Fail, Now.AddMinutes(-2)));
        await TestResults.StoreAsync(db, Agent.BuiltInId, Result(oldTarget, Verdict.Pass, Now.AddMinutes(-16)));

        var overview = await new OverviewQuery(db).GetAsync(Now, TimeSpan.FromMinutes(5));

        var bothRow = overview.Rows.Single(r => r.Service == "Both sources");
        var mgmt = bothRow.Cells[Sources.ManagementMachine];
        Assert.Equal((Verdict.Fail, ReasonCode.TcpRefused, 2), (mgmt.Verdict, mgmt.Reason, mgmt.Agents.Count));
        Assert.Equal("mgmt-2", mgmt.Agents[0].AgentName);
        var appliance = bothRow.Cells[Sources.ApplianceVm];
        Assert.True(appliance.NoAgent);
        Assert.Null(appliance.Verdict);
        var old = overview.Rows.Single(r => r.Service == "Old news").Cells[Sources.ManagementMachine];
        Assert.Equal((Verdict.Pass, true), (old.Verdict, old.IsStale));
        Assert.Equal(DisplayStatus.Stale, old.Status); // an old pass is not evidence: it does not count as passing
        Assert.Equal("0 of 3 required endpoint × source checks pass", overview.Readiness.Text);
    }

    private static ProbeResult Result(Target target, Verdict verdict, DateTimeOffset at) => new()
    {
        EndpointKey = target.Endpoint!.Key, TargetKey = target.Key, Service = target.Endpoint.Service, Host = "127.0.0.1", Port = target.Port,
        Protocol = TransportProtocol.Tcp, Sources = target.Sources, Verdict = verdict,
        Phase = verdict == Verdict.Pass ? Phase.None : Phase.Tcp, Reason = verdict == Verdict.Pass ? ReasonCode.Ok : ReasonCode.TcpRefused,
        Message = verdict.ToString(), StartedAt = at,
    };
}
