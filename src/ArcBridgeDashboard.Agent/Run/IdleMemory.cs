namespace ArcBridgeDashboard.Agent.Run;

/// <summary>
/// Between sweeps the agent idles for minutes, yet it would keep what a sweep allocated resident until the next
/// collection: the GC's emptied regions and the native buffers OpenSSL freed (glibc keeps those). Shortly after a
/// sweep, once its results are pushed, one compacting collection that decommits free space and a malloc_trim hand
/// them back. A few milliseconds per sweep (bench/agents memory).
/// </summary>
public sealed class IdleMemory : IDisposable
{
    public static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);

    private readonly ITimer timer;

    public IdleMemory(TimeProvider time) => timer = time.CreateTimer(_ => Release(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

    /// <summary>Releases <see cref="Settle"/> after the last sweep ended.</summary>
    public void SweepFinished() => timer.Change(Settle, Timeout.InfiniteTimeSpan);

    public void Dispose() => timer.Dispose();

    private static void Release()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        NativeHeap.Trim();
    }
}
