namespace ArcBridgeDashboard.EndToEnd.Tests.Agents;

/// <summary>
/// Agent process tests (a dashboard process, agents and loopback targets each) run one at a time among themselves,
/// beside the browser tests of <see cref="Support.DashboardCollection"/>: their bounds are tens of seconds, and their
/// waits (plan polls, sweep intervals, Wine starting) leave the machine room for a second collection. Tests with tight
/// time bounds are in <see cref="Support.TimedCollection"/>.
/// </summary>
[CollectionDefinition(Name)]
public sealed class AgentProcessesCollection
{
    public const string Name = "agent processes";
}

/// <summary>
/// Agents living through restarts, revocation, a Windows service manager and HTTPS: one at a time among themselves,
/// beside <see cref="AgentProcessesCollection"/> (each test has its own dashboard process, ports and folders).
/// </summary>
[CollectionDefinition(Name)]
public sealed class AgentLifecycleCollection
{
    public const string Name = "agent lifecycle";
}
