namespace ArcBridgeDashboard.EndToEnd.Tests.Agents;

/// <summary>
/// Agent process tests (a dashboard process, agents and loopback targets each) run one at a time among themselves,
/// beside the browser tests of <see cref="Support.DashboardCollection"/>: their bounds are tens of seconds, and their
/// waits (plan polls, sweep intervals, Wine starting) leave the machine room for a second collection.
/// </summary>
[CollectionDefinition(Name)]
public sealed class AgentProcessesCollection
{
    public const string Name = "agent processes";
}

/// <summary>
/// Process tests with tight time bounds (check now reaching live agents within 1 s, a poll within 5 s, the share of
/// the executable image left resident) run alone, after every parallel collection, so no other test's load blurs them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AgentTimingCollection
{
    public const string Name = "agent processes, timed";
}
