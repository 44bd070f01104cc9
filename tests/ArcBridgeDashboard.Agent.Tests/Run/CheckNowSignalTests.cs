using ArcBridgeDashboard.Agent.Run;

namespace ArcBridgeDashboard.Agent.Tests.Run;

public sealed class CheckNowSignalTests
{
    [Fact]
    public void Request_SameSequencePushedThenPolled_TriggersOnce()
    {
        var signal = new CheckNowSignal();

        Assert.True(signal.Request(5));
        Assert.False(signal.Request(5));
        Assert.False(signal.Request(4));
        Assert.True(signal.Request(6));
    }

    [Fact]
    public void Baseline_OldRequestAtStart_DoesNotTrigger()
    {
        var signal = new CheckNowSignal();

        signal.Baseline(9);

        Assert.False(signal.Request(9));
        Assert.True(signal.Request(10));
    }
}
