using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;

namespace ArcBridgeDashboard.Web.Agents;

/// <summary>
/// Which agents hold a live hub connection to this replica right now, and the check-now sequence each has been asked
/// for. Sequences follow the clock (Unix milliseconds, then +1), so they keep growing across restarts and replicas,
/// and an agent that reconnects to another replica never takes a new request for one it already ran.
/// </summary>
public sealed class AgentPresence(TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ConcurrentDictionary<int, ConcurrentDictionary<string, HubCallerContext>> _connections = new();
    private readonly ConcurrentDictionary<int, long> _checkNowSequence = new();
    private long _lastSequence;

    public event Action<int>? Changed;

    /// <summary>A check-now asked on this replica (agent, sequence): relayed so every replica answers the agent's catch-up.</summary>
    public event Action<int, long>? CheckNowRequested;

    /// <summary>An agent revoked on this replica: relayed so every replica drops its live connections.</summary>
    public event Action<int>? Aborted;

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

    /// <summary>Drops every live connection of a revoked agent (on this replica; <see cref="Aborted"/> tells the others).</summary>
    public void Abort(int agentId, bool fromPeer = false)
    {
        if (_connections.TryRemove(agentId, out var set))
        {
            foreach (var context in set.Values)
                context.Abort();
        }
        Changed?.Invoke(agentId);
        if (!fromPeer)
            Aborted?.Invoke(agentId);
    }

    public long RequestCheckNow(int agentId)
    {
        while (true)
        {
            var last = Interlocked.Read(ref _lastSequence);
            var next = Math.Max(last + 1, _time.GetUtcNow().ToUnixTimeMilliseconds());
            if (Interlocked.CompareExchange(ref _lastSequence, next, last) != last)
                continue;
            _checkNowSequence.AddOrUpdate(agentId, next, (_, old) => Math.Max(old, next));
            CheckNowRequested?.Invoke(agentId, next);
            return next;
        }
    }

    /// <summary>Remembers a check-now sequence another replica asked for, keeping the highest.</summary>
    public void RecordCheckNow(int agentId, long sequence)
    {
        _checkNowSequence.AddOrUpdate(agentId, sequence, (_, old) => Math.Max(old, sequence));
        long last;
        while ((last = Interlocked.Read(ref _lastSequence)) < sequence && Interlocked.CompareExchange(ref _lastSequence, sequence, last) != last)
        {
        }
    }

    public long CheckNowSequence(int agentId) => _checkNowSequence.GetValueOrDefault(agentId);
}
