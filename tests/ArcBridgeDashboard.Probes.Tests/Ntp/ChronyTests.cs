using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Probes.Tests.Support;

namespace ArcBridgeDashboard.Probes.Tests.Ntp;

[Trait("Category", "Daemons")]
public sealed class ChronyTests
{
    [Fact]
    public async Task ProbeAsync_ChronydLocalStratum8_PassesWithStratum()
    {
        using var chrony = new ChronyRunner();

        var result = await Probe.RunAsync(Probe.Target("127.0.0.1", chrony.Port, ProbeKind.Ntp), Probe.Settings());

        Probe.AssertOutcome(result, Verdict.Pass, Phase.None, ReasonCode.Ok);
        Assert.Equal(8, result.Details.Ntp!.Stratum);
        Assert.InRange(result.Details.Ntp.OffsetMs, -1000, 1000);
    }
}
