using System.Threading.Channels;

namespace ArcBridgeDashboard.Agent.Run;

/// <summary>
/// "Sweep now" requests from the live connection or the command poll. Sequence numbers make a request that arrives
/// both ways (push, then poll) run once; requests during a sweep collapse into one follow-up sweep.
/// </summary>
public sealed class CheckNowSignal
{
    private readonly Channel<long> _requests = Channel.CreateBounded<long>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest });
    private long _highestSeen;

    public bool Request(long sequence)
    {
        var seen = Interlocked.Read(ref _highestSeen);
        while (sequence > seen)
        {
            if (Interlocked.CompareExchange(ref _highestSeen, sequence, seen) == seen)
                return _requests.Writer.TryWrite(sequence);
            seen = Interlocked.Read(ref _highestSeen);
        }
        return false;
    }

    /// <summary>Remembers the server's current sequence without sweeping (first contact after a start).</summary>
    public void Baseline(long sequence)
    {
        var seen = Interlocked.Read(ref _highestSeen);
        while (sequence > seen && Interlocked.CompareExchange(ref _highestSeen, sequence, seen) != seen)
            seen = Interlocked.Read(ref _highestSeen);
    }

    public ValueTask<long> WaitAsync(CancellationToken cancellationToken) => _requests.Reader.ReadAsync(cancellationToken);
}

/// <summary>Set when the server refuses the credential; the process then stops with <see cref="ExitCode"/>.</summary>
public sealed class RejectionState
{
    public const int ExitCode = 3;
    public string? Reason { get; set; }
}
