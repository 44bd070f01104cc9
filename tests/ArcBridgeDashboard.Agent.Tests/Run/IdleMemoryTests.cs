using ArcBridgeDashboard.Agent.Run;
using Microsoft.Extensions.Time.Testing;

namespace ArcBridgeDashboard.Agent.Tests.Run;

public sealed class IdleMemoryTests
{
    [Fact]
    public void SweepFinished_AfterTheSettleTime_RunsAFullCollection()
    {
        var time = new FakeTimeProvider();
        using var idle = new IdleMemory(time);
        var before = GC.CollectionCount(GC.MaxGeneration);

        idle.SweepFinished();
        time.Advance(IdleMemory.Settle);

        Assert.True(GC.CollectionCount(GC.MaxGeneration) > before);
    }

    [Fact]
    public void SweepStartedBeforeTheSettleTime_IsNotInterruptedByTheRelease()
    {
        // A check-now or a short per-endpoint interval can start the next sweep within seconds of the last one; a
        // blocking collection and a malloc_trim in the middle of it would stretch its probes' timings.
        var time = new FakeTimeProvider();
        var releases = 0;
        using var idle = new IdleMemory(time, () => releases++);

        idle.SweepFinished();
        time.Advance(IdleMemory.Settle / 2);
        idle.SweepStarted();
        time.Advance(IdleMemory.Settle * 10);
        Assert.Equal(0, releases);

        idle.SweepFinished();
        time.Advance(IdleMemory.Settle);
        Assert.Equal(1, releases);
    }
}
