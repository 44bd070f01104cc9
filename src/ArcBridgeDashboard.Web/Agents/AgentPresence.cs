using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;

namespace ArcBridgeDashboard.Web.Agents;

/// <summary>
/// Which agents hold a live hub connection right now, to this replica or (relayed through Redis by
/// <see cref="Scale.ReplicaEventRelay"/>) to another one, and the check-now sequence each has been asked for. Each other
/// replica's set of live agents is replaced whole by its next announcement and forgotten after <see cref="PeerExpiry"/>
/// without one (a replica that died), or at once when it stops. Sequences follow the clock (Unix milliseconds, then +1), so they keep growing across restarts and replicas,
/// and an agent that reconnects to another replica never takes a new request for one it already ran.
/// </summary>
public sealed class AgentPresence(TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ConcurrentDictionary<int, ConcurrentDictionary<string, HubCallerContext>> _connections = new();
    private readonly ConcurrentDictionary<int, long> _checkNowSequence = new();
    private readonly ConcurrentDictionary<string, PeerAgents> _peers = new();
    private long _lastSequence;

    /// <summary>How long another replica's announced set counts without a fresh one (it announces every <see cref="PeerAnnounceEvery"/>).</summary>
    public static readonly TimeSpan PeerExpiry = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan PeerAnnounceEvery = TimeSpan.FromSeconds(10);

    /// <summary>An agent's live state may have changed (here or on another replica).</summary>
    public event Action<int>? Changed;

    /// <summary>The set of agents live on this replica changed: relayed so the other replicas see them live too.</summary>
    public event Action? LocalChanged;

    /// <summary>A check-now asked on this replica (agent, sequence): relayed so every replica answers the agent's catch-up.</summary>
    public event Action<int, long>? CheckNowRequested;

    /// <summary>An agent revoked on this replica: relayed so every replica drops its live connections.</summary>
    public event Action<int>? Aborted;

    public void Connected(int agentId, HubCallerContext context)
    {
        _connections.GetOrAdd(agentId, _ => new()).TryAdd(context.ConnectionId, context);
        Changed?.Invoke(agentId);
        LocalChanged?.Invoke();
    }

    public void Disconnected(int agentId, string connectionId)
    {
        if (_connections.TryGetValue(agentId, out var set))
            set.TryRemove(connectionId, out _);
        Changed?.Invoke(agentId);
        LocalChanged?.Invoke();
    }

    /// <summary>Live on this replica or on another one (whose announcement has not expired).</summary>
    public bool IsConnected(int agentId)
    {
        if (IsConnectedHere(agentId))
            return true;
        var now = _time.GetUtcNow();
        return _peers.Values.Any(p => p.ExpiresAt > now && p.Agents.Contains(agentId));
    }

    public bool IsConnectedHere(int agentId) => _connections.TryGetValue(agentId, out var set) && !set.IsEmpty;

    /// <summary>The agents with a live connection to this replica (what it announces to the others).</summary>
    public IReadOnlyList<int> ConnectedHere() => [.. _connections.Where(c => !c.Value.IsEmpty).Select(c => c.Key).Order()];

    /// <summary>
    /// Another replica's announcement: the agents live on it now (empty: none, or it is stopping). Replaces what it said
    /// before, counts until <see cref="PeerExpiry"/> from now, and raises <see cref="Changed"/> for each agent that came or went.
    /// </summary>
    public void SetPeer(string replica, IReadOnlyCollection<int> agents)
    {
        var before = _peers.TryGetValue(replica, out var old) ? old.Agents : [];
        if (agents.Count == 0)
            _peers.TryRemove(replica, out _);
        else
            _peers[replica] = new PeerAgents([.. agents], _time.GetUtcNow() + PeerExpiry);
        foreach (var agentId in before.Union(agents).Where(a => before.Contains(a) != agents.Contains(a)))
            Changed?.Invoke(agentId);
    }

    /// <summary>Forgets the replicas that have not announced within <see cref="PeerExpiry"/> (they died), raising <see cref="Changed"/> for their agents.</summary>
    public void ExpirePeers()
    {
        var now = _time.GetUtcNow();
        foreach (var (replica, peer) in _peers)
        {
            if (peer.ExpiresAt <= now && _peers.TryRemove(new KeyValuePair<string, PeerAgents>(replica, peer)))
            {
                foreach (var agentId in peer.Agents)
                    Changed?.Invoke(agentId);
            }
        }
    }

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

    private sealed record PeerAgents(HashSet<int> Agents, DateTimeOffset ExpiresAt);
}
