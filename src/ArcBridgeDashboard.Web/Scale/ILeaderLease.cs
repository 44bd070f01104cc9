namespace ArcBridgeDashboard.Web.Scale;

/// <summary>
/// Whether this replica is the one that runs the shared background work: the built-in agent's schedule, retention,
/// scheduled reports and notification sending. Jobs ask <see cref="IsLeader"/> right before each run.
/// </summary>
public interface ILeaderLease
{
    /// <summary>True while this replica holds the lease.</summary>
    bool IsLeader { get; }

    /// <summary>True when other replicas may exist (a shared database): work planned elsewhere must be polled for.</summary>
    bool IsShared { get; }

    /// <summary>How often a replica without the lease tries to take it.</summary>
    TimeSpan RetryInterval { get; }
}

/// <summary>SQLite: one process owns the file, so it is always the leader.</summary>
public sealed class SingleProcessLease : ILeaderLease
{
    public bool IsLeader => true;
    public bool IsShared => false;
    public TimeSpan RetryInterval => PostgresAdvisoryLease.DefaultRetryInterval;
}
