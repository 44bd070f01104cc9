using ArcBridgeDashboard.EndToEnd.Tests.Agents;

namespace ArcBridgeDashboard.EndToEnd.Tests.Scale;

/// <summary>
/// The leader lease with real replicas on one PostgreSQL database: with the built-in agent on in both, one replica
/// runs its schedule and the other says it is not the leader; kill -9 the leader and within a minute the other takes
/// the lease and the built-in sweeps go on, while a remote agent's results (through nginx) are stored exactly once.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class LeaderTakeoverTests
{
    private const int TargetCount = 3;
    private const string Leading = "This replica is now the leader";
    private const string Following = "This replica is not the leader";

    [Fact]
    public async Task BuiltInSchedule_RunsOnOneReplica_AndMovesToTheOtherWithinAMinute_WhenTheLeaderIsKilled()
    {
        await using var scale = await ScaleLab.StartAsync(TargetCount, builtInAgent: true);
        var agent = scale.Lab.StartAgentVia(null, scale.Nginx.Url, "remote-agent", "ApplianceVm", Path.Combine(scale.Lab.Folder, "remote"),
            await scale.CreateTokenAsync(), ScaleLab.BuiltInIntervalSeconds);

        // One leads (and sweeps), the other follows: each says so in its log once it has tried the lease.
        await Eventually.WaitAsync(async () => scale.Replicas.Any(r => r.Process.Output.Contains(Leading, StringComparison.Ordinal))
                && scale.Replicas.Any(r => r.Process.Output.Contains(Following, StringComparison.Ordinal))
                && (await scale.SweepsAsync(null)).Count(s => s.Complete) >= 2
                && (await scale.SweepsAsync("remote-agent")).Any(s => s.Complete),
            TimeSpan.FromSeconds(90), "a leader, a follower, two built-in scheduled sweeps and a remote agent sweep", () => agent.Output + scale.Logs);
        var leader = scale.Replicas.Single(r => r.Process.Output.Contains(Leading, StringComparison.Ordinal));
        var follower = scale.Other(leader);
        Assert.Contains(Following, follower.Process.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Following, leader.Process.Output, StringComparison.Ordinal);
        // One schedule, not two: scheduled sweeps come an interval apart, never in pairs.
        var before = await scale.SweepsAsync(null);
        Assert.All(before.Zip(before.Skip(1)), pair => Assert.True(pair.Second.StartedAt - pair.First.StartedAt > TimeSpan.FromSeconds(ScaleLab.BuiltInIntervalSeconds / 2.0),
            $"two scheduled sweeps at {pair.First.StartedAt:O} and {pair.Second.StartedAt:O}\n{scale.Logs}"));

        var killedAt = DateTimeOffset.UtcNow;
        leader.Process.KillHard();

        // The follower takes the lease within a minute (its next try after the dead session's lock is freed).
        await Eventually.WaitAsync(() => Task.FromResult(follower.Process.Output.Contains(Leading, StringComparison.Ordinal)),
            TimeSpan.FromSeconds(60), $"replica {follower.Name} to take the leader lease after replica {leader.Name} was killed", () => scale.Logs);
        Assert.True(DateTimeOffset.UtcNow - killedAt < TimeSpan.FromMinutes(1));

        // The built-in schedule goes on there, and the remote agent's results keep arriving (through nginx, on the survivor).
        await Eventually.WaitAsync(async () => (await scale.SweepsAsync(null)).Count(s => s.Complete && s.StartedAt > killedAt) >= 2
                && (await scale.SweepsAsync("remote-agent")).Count(s => s.Complete && s.StartedAt > killedAt) >= 2,
            TimeSpan.FromSeconds(90), "two built-in scheduled sweeps and two remote agent sweeps after the kill", () => agent.Output + scale.Logs);
        var after = (await scale.SweepsAsync(null)).Where(s => s.StartedAt > killedAt).ToList();
        Assert.All(after.Zip(after.Skip(1)), pair => Assert.True(pair.Second.StartedAt - pair.First.StartedAt > TimeSpan.FromSeconds(ScaleLab.BuiltInIntervalSeconds / 2.0),
            $"two scheduled sweeps at {pair.First.StartedAt:O} and {pair.Second.StartedAt:O}\n{scale.Logs}"));

        // Nothing doubled or lost: every result stored once, every finished remote sweep holds one result per target.
        var (ids, rows) = await scale.StoredResultsAsync("remote-agent");
        Assert.Equal(ids.Count, rows);
        var remote = await scale.SweepsAsync("remote-agent");
        Assert.True(remote.Count(s => s.Complete) >= 3, string.Join("\n", remote));
        Assert.All(remote.SkipLast(1), s => Assert.True(s.Complete, $"a remote sweep lost results: {string.Join("\n", remote)}\n{agent.Output}"));
    }
}
