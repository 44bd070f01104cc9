namespace ArcBridgeDashboard.EndToEnd.Tests.Support;

/// <summary>
/// Tests with tight time bounds run alone, after every parallel collection, so that no other test's load blurs them:
/// check now reaching live agents within 1 s, a poll within 5 s, the share of the AOT agent's image left resident, and
/// the overview seen mid-sweep (while one held answer keeps the sweep running). Its browser tests share one
/// <see cref="DashboardFixture"/> (the publish is the one every browser test class reuses).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimedCollection : ICollectionFixture<DashboardFixture>
{
    public const string Name = "tight time bounds, alone";
}
