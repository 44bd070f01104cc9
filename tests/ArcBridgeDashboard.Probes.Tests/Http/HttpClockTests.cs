using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Probes.Http;
using ArcBridgeDashboard.Probes.Sweeps;
using ArcBridgeDashboard.Probes.Tests.Support;
using ArcBridgeDashboard.Probes.Tests.Tls;

namespace ArcBridgeDashboard.Probes.Tests.Http;

/// <summary>
/// Real Kestrel sends its Date header from the real clock; the probing machine's clock is the one that is wrong, so the
/// prober gets a clock shifted from the system's (a machine whose clock drifted, which no real part here can make on
/// demand without touching the host clock).
/// </summary>
public sealed class HttpClockTests(LabPki pki) : IClassFixture<LabPki>
{
    private ProbeSettings Settings => Probe.Settings() with { ExpectedRoots = [pki.PublicRoot] };

    private async Task<ProbeResult> ProbeWithClockShiftedBy(TimeSpan shift)
    {
        await using var server = await ArcEndpointServer.StartAsync(pki.PublicLeaf(), [pki.PublicIssuer]);
        return await new TargetProber(new ShiftedClock(shift)).ProbeAsync(Probe.Target("127.0.0.1", server.Port), Settings);
    }

    [Fact]
    public async Task ProbeAsync_ClockInStep_PassesAndRecordsServerDateAndSmallOffset()
    {
        var result = await ProbeWithClockShiftedBy(TimeSpan.Zero);

        Probe.AssertOutcome(result, Verdict.Pass, Phase.None, ReasonCode.Ok);
        Assert.NotNull(result.Details.Http!.ServerDate);
        Assert.InRange(result.Details.Http.ClockOffsetMs!.Value, -5_000, 5_000);
    }

    [Fact]
    public async Task ProbeAsync_ClockTenMinutesFast_WarnsClockSkewHighSayingAhead()
    {
        var result = await ProbeWithClockShiftedBy(TimeSpan.FromMinutes(10));

        Probe.AssertOutcome(result, Verdict.Warn, Phase.Http, ReasonCode.ClockSkewHigh);
        // The Date header has whole seconds: 10 min reads as 9 min 59 s to 10 min 0 s.
        Assert.Matches(@"this clock is (9 min 5\d s|10 min 0 s) ahead of the server's Date header", result.Message);
        Assert.InRange(result.Details.Http!.ClockOffsetMs!.Value, -605_000, -595_000);
        Assert.Equal(401, result.Details.Http.StatusCode); // the endpoint itself answered
    }

    [Fact]
    public async Task ProbeAsync_ClockFortyMinutesSlow_FailsClockSkewTooLargeWithArcsLimit()
    {
        var result = await ProbeWithClockShiftedBy(TimeSpan.FromMinutes(-40));

        Probe.AssertOutcome(result, Verdict.Fail, Phase.Http, ReasonCode.ClockSkewTooLarge);
        Assert.Contains("behind the server's Date header", result.Message);
        Assert.Contains("30 minutes", result.Remedy);
    }

    [Fact]
    public void Judge_BelowWarning_IsNothing()
    {
        Assert.Null(HttpClock.Judge(-299_000, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30)));
        Assert.Equal(ReasonCode.ClockSkewHigh, HttpClock.Judge(300_000, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30))!.Reason);
        Assert.Equal(ReasonCode.ClockSkewTooLarge, HttpClock.Judge(-1_800_000, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30))!.Reason);
    }

    [Fact]
    public void OffsetMs_DateIsWholeSecondsSoHalfASecondIsAdded()
    {
        var sent = new DateTimeOffset(2026, 12, 5, 12, 0, 0, 200, TimeSpan.Zero);
        Assert.Equal(0, HttpClock.OffsetMs(new DateTimeOffset(2026, 12, 5, 12, 0, 0, TimeSpan.Zero), sent, sent.AddMilliseconds(600)));
    }

    private sealed class ShiftedClock(TimeSpan shift) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + shift;
    }
}
