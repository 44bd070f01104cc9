using System.Runtime.ExceptionServices;
using ArcBridgeDashboard.Probes.Contracts;

namespace ArcBridgeDashboard.Probes.Sweeps;

/// <summary>
/// A pass's results in small groups for storing, each stamped with the pass and the very last one marked
/// <see cref="SweepPass.Last"/>. One result is always held back until the next arrives, because only the end of the
/// stream tells which one is last. Remote agents and the built-in agent both store through this, so every pass of
/// every agent becomes a sweep the same way.
/// </summary>
public static class PassGroups
{
    public static async IAsyncEnumerable<IReadOnlyList<ProbeResult>> StampAsync(IAsyncEnumerable<ProbeResult> results, SweepPass pass, int groupSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(groupSize, 1);
        var group = new List<ProbeResult>(groupSize);
        ProbeResult? held = null;
        await using var source = results.GetAsyncEnumerator();
        while (true)
        {
            ExceptionDispatchInfo? failure = null;
            bool more;
            try
            {
                more = await source.MoveNextAsync().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                failure = ExceptionDispatchInfo.Capture(ex);
                more = false;
            }
            if (failure is not null)
            {
                // The results measured before the throw are still evidence: hand them on (none marked last, because
                // the pass did not end), then let the caller see the failure.
                if (held is not null)
                    group.Add(held with { Pass = pass });
                if (group.Count > 0)
                    yield return group;
                failure.Throw();
            }
            if (!more)
                break;
            if (held is not null)
            {
                group.Add(held with { Pass = pass });
                if (group.Count >= groupSize)
                {
                    yield return group;
                    group = new List<ProbeResult>(groupSize);
                }
            }
            held = source.Current;
        }
        if (held is not null)
            group.Add(held with { Pass = pass with { Last = true } });
        if (group.Count > 0)
            yield return group;
    }
}
