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
}
