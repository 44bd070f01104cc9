using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;

namespace ArcBridgeDashboard.Web.Agents;

/// <summary>Which agents hold a live hub connection right now, and the check-now sequence each has been asked for.</summary>
public sealed class AgentPresence
{
    private readonly ConcurrentDictionary<int, ConcurrentDictionary<string, HubCallerContext>> _connections = new();
    private readonly ConcurrentDictionary<int, long> _checkNowSequence = new();
    private long _lastSequence;

    public event Action<int>? Changed;

    public void Connected(int agentId, HubCallerContext context)
    {
        _connections.GetOrAdd(agentId, _ => new()).TryAdd(context.ConnectionId, context);
        Changed?.Invoke(agentId);
    }

    public void Disconnected(int agentId, string connectionId)
    {
        if (_connections.TryGetValue(agentId, out var set))
            set.TryRemove(connectionId, out _);
        Changed?.Invoke(agentId);
    }

    public bool IsConnected(int agentId) => _connections.TryGetValue(agentId, out var set) && !set.IsEmpty;

    /// <summary>Drops every live connection of a revoked agent.</summary>
    public void Abort(int agentId)
    {
        if (_connections.TryRemove(agentId, out var set))
        {
            foreach (var context in set.Values)
                context.Abort();
        }
        Changed?.Invoke(agentId);
    }

    public long RequestCheckNow(int agentId)
    {
        var sequence = Interlocked.Increment(ref _lastSequence);
        _checkNowSequence[agentId] = sequence;
        return sequence;
    }

    public long CheckNowSequence(int agentId) => _checkNowSequence.GetValueOrDefault(agentId);
}
