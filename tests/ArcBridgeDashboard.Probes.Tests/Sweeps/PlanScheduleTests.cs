using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Probes.Sweeps;
using Microsoft.Extensions.Time.Testing;

namespace ArcBridgeDashboard.Probes.Tests.Sweeps;

public sealed class PlanScheduleTests
{
    // "fast" has a 60 s override from the endpoint drill-down; "slow" follows the plan's 300 s interval.
    private static readonly AgentPlan Plan = new()
    {
        Version = "v1", AgentId = 2, Role = Sources.ApplianceVm, IntervalSeconds = 300,
        Targets = [Target("fast", "a.fast.test"), Target("fast", "b.fast.test"), Target("slow", "slow.test")],
        EndpointIntervalSeconds = new Dictionary<string, int> { ["fast"] = 60 },
    };

    [Fact]
    public void TakeDue_EndpointWithIntervalOverride_IsProbedOnItsOwnIntervalAndTheRestOnThePlans()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
        var schedule = new PlanSchedule(null, time);

        Assert.Equal(["a.fast.test", "b.fast.test", "slow.test"], Hosts(schedule.TakeDue(Plan)));
        Assert.Equal(TimeSpan.FromSeconds(60), schedule.TimeToNext());

        var probed = new List<string[]>();
        for (var minute = 1; minute <= 5; minute++)
        {
            time.Advance(TimeSpan.FromSeconds(60));
            probed.Add(Hosts(schedule.TakeDue(Plan)));
        }

        Assert.Equal([["a.fast.test", "b.fast.test"], ["a.fast.test", "b.fast.test"], ["a.fast.test", "b.fast.test"],
            ["a.fast.test", "b.fast.test"], ["a.fast.test", "b.fast.test", "slow.test"]], probed);
    }

    [Fact]
    public void TakeDue_NotYetDue_ReturnsNothingAndSleepsUntilTheNextEndpointIsDue()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
        var schedule = new PlanSchedule(null, time);
        schedule.TakeDue(Plan);

        time.Advance(TimeSpan.FromSeconds(45));

        Assert.Empty(schedule.TakeDue(Plan));
        Assert.Equal(TimeSpan.FromSeconds(15), schedule.TimeToNext());
    }

    [Fact]
    public void RestartAll_AfterCheckNow_RestartsEveryEndpointsIntervalFromNow()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
        var schedule = new PlanSchedule(null, time);
        schedule.TakeDue(Plan);
        time.Advance(TimeSpan.FromSeconds(50));

        schedule.RestartAll(Plan);
        time.Advance(TimeSpan.FromSeconds(10));

        Assert.Empty(schedule.TakeDue(Plan));
        time.Advance(TimeSpan.FromSeconds(50));
        Assert.Equal(["a.fast.test", "b.fast.test"], Hosts(schedule.TakeDue(Plan)));
    }

    [Fact]
    public void TakeDue_PlanChangesAnEndpointsInterval_NextDueCountsTheNewIntervalFromItsLastProbe()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
        var schedule = new PlanSchedule(null, time);
        schedule.TakeDue(Plan);
        time.Advance(TimeSpan.FromSeconds(30));
        var slowEveryMinute = Plan with { EndpointIntervalSeconds = new Dictionary<string, int> { ["fast"] = 300, ["slow"] = 60 } };

        Assert.Empty(schedule.TakeDue(slowEveryMinute));
        Assert.Equal(TimeSpan.FromSeconds(30), schedule.TimeToNext());
        time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(["slow.test"], Hosts(schedule.TakeDue(slowEveryMinute)));
        Assert.Equal(TimeSpan.FromSeconds(60), schedule.TimeToNext());
    }

    [Fact]
    public void IntervalsOf_AgentsOwnIntervalOrTooShortOverride_AgentWinsAndTheFloorApplies()
    {
        var tooShort = Plan with { EndpointIntervalSeconds = new Dictionary<string, int> { ["fast"] = 1 } };

        var planIntervals = new PlanSchedule(null, TimeProvider.System).IntervalsOf(tooShort);
        var agentIntervals = new PlanSchedule(TimeSpan.FromSeconds(20), TimeProvider.System).IntervalsOf(Plan);

        Assert.Equal(TimeSpan.FromSeconds(PlanSchedule.MinIntervalSeconds), planIntervals["fast"]);
        Assert.Equal(TimeSpan.FromSeconds(300), planIntervals["slow"]);
        Assert.Equal(TimeSpan.FromSeconds(20), agentIntervals["fast"]);
        Assert.Equal(TimeSpan.FromSeconds(20), agentIntervals["slow"]);
    }

    private static string[] Hosts(IReadOnlyList<ProbeTarget> targets) => [.. targets.Select(t => t.Host!).Order(StringComparer.Ordinal)];

    private static ProbeTarget Target(string endpointKey, string host) => new()
    {
        EndpointKey = endpointKey, Service = endpointKey, HostPattern = host, Host = host, Port = 443,
        Protocol = TransportProtocol.Tcp, Kind = ProbeKind.Https, Sources = Sources.ApplianceVm,
    };
}
