using System.Collections.Concurrent;
using ArcBridgeDashboard.Web.Monitoring;

namespace ArcBridgeDashboard.Web.Agents;

/// <summary>One remote agent's progress through a check-now: results arrived of the targets its role has.</summary>
public sealed record AgentCheckProgress(int AgentId, string Name, int Expected, int Arrived, DateTimeOffset RequestedAt)
{
    public bool Done => Arrived >= Expected;
}

/// <summary>
/// Follows each agent's check-now from the request to its last result, for the overview's per-agent progress.
/// Counts results pushed after the request; a sweep the agent had already started may finish it early, which is
/// fine for a progress display.
/// </summary>
public sealed class AgentCheckTracker : IDisposable
{
    private readonly ConcurrentDictionary<int, AgentCheckProgress> _checks = new();
    private readonly LiveStatusNotifier _notifier;

    public AgentCheckTracker(LiveStatusNotifier notifier)
    {
        _notifier = notifier;
        notifier.ResultArrived += OnResultArrived;
    }

    public event Action? Changed;

    public IReadOnlyList<AgentCheckProgress> Current => [.. _checks.Values.OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase)];

    public void Begin(int agentId, string name, int expected, DateTimeOffset at)
    {
        _checks[agentId] = new AgentCheckProgress(agentId, name, Math.Max(1, expected), 0, at);
        Changed?.Invoke();
    }

    public void Dispose() => _notifier.ResultArrived -= OnResultArrived;

    private void OnResultArrived(ResultArrivedEvent e)
    {
        if (e.AgentId == Data.Agent.BuiltInId || !_checks.TryGetValue(e.AgentId, out var check) || check.Done)
            return;
        _checks.AddOrUpdate(e.AgentId, check, (_, c) => c with { Arrived = c.Arrived + 1 });
        Changed?.Invoke();
    }
}
