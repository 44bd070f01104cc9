using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Probes.Sweeps;

namespace ArcBridgeDashboard.Probes.Tests.Sweeps;

public sealed class PassGroupsTests
{
    private static readonly SweepPass Pass = new() { Id = Guid.NewGuid(), Trigger = SweepPass.Schedule, StartedAt = DateTimeOffset.UnixEpoch, TargetCount = 5 };

    [Fact]
    public async Task StampAsync_FiveResultsInGroupsOfTwo_EveryResultStampedAndOnlyTheLastMarkedLast()
    {
        var groups = await CollectAsync(Results(5, throwAfter: null), groupSize: 2);

        Assert.Equal([2, 2, 1], groups.Select(g => g.Count));
        var all = groups.SelectMany(g => g).ToList();
        Assert.Equal(["h0", "h1", "h2", "h3", "h4"], all.Select(r => r.Host));
        Assert.All(all, r => Assert.Equal(Pass.Id, r.Pass!.Id));
        Assert.Equal([false, false, false, false, true], all.Select(r => r.Pass!.Last));
    }

    [Fact]
    public async Task StampAsync_RunnerThrowsAfterThreeResults_HandsOnAllThreeNoneMarkedLast_ThenThrows()
    {
        var received = new List<ProbeResult>();
        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (var group in PassGroups.StampAsync(Results(5, throwAfter: 3), Pass, groupSize: 8))
                received.AddRange(group);
        });

        Assert.Equal("probe broke", thrown.Message);
        Assert.Equal(["h0", "h1", "h2"], received.Select(r => r.Host)); // before: the held and grouped ones were lost
        Assert.All(received, r => Assert.False(r.Pass!.Last));
    }

    private static async Task<List<IReadOnlyList<ProbeResult>>> CollectAsync(IAsyncEnumerable<ProbeResult> results, int groupSize)
    {
        var groups = new List<IReadOnlyList<ProbeResult>>();
        await foreach (var group in PassGroups.StampAsync(results, Pass, groupSize))
            groups.Add([.. group]);
        return groups;
    }

    private static async IAsyncEnumerable<ProbeResult> Results(int count, int? throwAfter)
    {
        for (var i = 0; i < count; i++)
        {
            if (i == throwAfter)
                throw new InvalidOperationException("probe broke");
            await Task.Yield();
            yield return new ProbeResult
            {
                EndpointKey = $"h{i}:443/tcp", TargetKey = $"h{i}:443/tcp", Service = "S", Host = $"h{i}", Port = 443,
                Protocol = TransportProtocol.Tcp, Sources = Sources.ManagementMachine, Verdict = Verdict.Pass, Phase = Phase.Tcp,
                Reason = ReasonCode.Ok, Message = "ok", StartedAt = DateTimeOffset.UnixEpoch,
            };
        }
    }
}
