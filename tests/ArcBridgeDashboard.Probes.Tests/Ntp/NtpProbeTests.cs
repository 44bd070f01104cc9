using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Probes.Tests.Support;

namespace ArcBridgeDashboard.Probes.Tests.Ntp;

public sealed class NtpProbeTests
{
    private static ProbeTarget Target(int port) => Probe.Target("127.0.0.1", port, ProbeKind.Ntp);

    [Fact]
    public async Task ProbeAsync_ClockInSync_PassesWithOffsetAndStratum()
    {
        using var server = new SntpResponder(TimeSpan.Zero, stratum: 3);

        var result = await Probe.RunAsync(Target(server.Port), Probe.Settings());

        Probe.AssertOutcome(result, Verdict.Pass, Phase.None, ReasonCode.Ok);
        Assert.Equal(3, result.Details.Ntp!.Stratum);
        Assert.InRange(result.Details.Ntp.OffsetMs, -5000, 5000);
        Assert.True(result.TimingsMs.ContainsKey("ntp"));
    }

    [Fact]
    public async Task ProbeAsync_Skew61Seconds_WarnsSkewHigh()
    {
        using var server = new SntpResponder(TimeSpan.FromSeconds(61));

        var result = await Probe.RunAsync(Target(server.Port), Probe.Settings());

        Probe.AssertOutcome(result, Verdict.Warn, Phase.Ntp, ReasonCode.NtpSkewHigh);
        Assert.InRange(result.Details.Ntp!.OffsetMs, 59_000, 63_000);
    }

    [Fact]
    public async Task ProbeAsync_Skew31MinutesBehind_FailsSkewTooLarge()
    {
        using var server = new SntpResponder(TimeSpan.FromMinutes(-31));

        var result = await Probe.RunAsync(Target(server.Port), Probe.Settings());

        Probe.AssertOutcome(result, Verdict.Fail, Phase.Ntp, ReasonCode.NtpSkewTooLarge);
    }

    [Fact]
    public async Task ProbeAsync_ConfiguredThresholds_AreHonoured()
    {
        using var server = new SntpResponder(TimeSpan.FromSeconds(61));
        var settings = Probe.Settings() with { NtpWarnOffset = TimeSpan.FromSeconds(10), NtpFailOffset = TimeSpan.FromSeconds(20) };

        var result = await Probe.RunAsync(Target(server.Port), settings);

        Probe.AssertOutcome(result, Verdict.Fail, Phase.Ntp, ReasonCode.NtpSkewTooLarge);
    }

    [Fact]
    public async Task ProbeAsync_SilentServer_FailsNoResponse()
    {
        using var server = new SntpResponder(TimeSpan.Zero, silent: true);

        var result = await Probe.RunAsync(Target(server.Port), Probe.Settings(timeoutSeconds: 1));

        Probe.AssertOutcome(result, Verdict.Fail, Phase.Ntp, ReasonCode.NtpNoResponse);
    }

    [Fact]
    public async Task ProbeAsync_Stratum0KissOfDeath_FailsInvalidResponse()
    {
        using var server = new SntpResponder(TimeSpan.Zero, stratum: 0);

        var result = await Probe.RunAsync(Target(server.Port), Probe.Settings());

        Probe.AssertOutcome(result, Verdict.Fail, Phase.Ntp, ReasonCode.NtpInvalidResponse);
    }

    [Fact]
    public async Task ProbeAsync_ShortPacket_FailsInvalidResponse()
    {
        using var server = new SntpResponder(TimeSpan.Zero, shortPacket: true);

        var result = await Probe.RunAsync(Target(server.Port), Probe.Settings());

        Probe.AssertOutcome(result, Verdict.Fail, Phase.Ntp, ReasonCode.NtpInvalidResponse);
    }
}
