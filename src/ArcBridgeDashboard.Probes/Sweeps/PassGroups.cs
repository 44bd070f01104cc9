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
        await foreach (var result in results.ConfigureAwait(false))
        {
            if (held is not null)
            {
                group.Add(held with { Pass = pass });
                if (group.Count >= groupSize)
                {
                    yield return group;
                    group = new List<ProbeResult>(groupSize);
                }
            }
            held = result;
        }
        if (held is not null)
            group.Add(held with { Pass = pass with { Last = true } });
        if (group.Count > 0)
            yield return group;
    }
}
