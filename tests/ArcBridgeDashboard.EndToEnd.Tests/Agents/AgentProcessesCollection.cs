namespace ArcBridgeDashboard.EndToEnd.Tests.Agents;

/// <summary>Process tests run one at a time: on two cores, parallel dashboards and agents would blur the 1 s check-now bound.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AgentProcessesCollection
{
    public const string Name = "agent processes";
}
