using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Probes.Sweeps;
using ArcBridgeDashboard.Probes.Tests.Support;
using ArcBridgeDashboard.Probes.Tests.Tls;
using ArcBridgeDashboard.Testing;
using Microsoft.Extensions.Time.Testing;

namespace ArcBridgeDashboard.Probes.Tests.Sweeps;

/// <summary>The prober reads time only from its TimeProvider: a machine clock that is off shows up in TLS and NTP.</summary>
public sealed class ClockSkewTests(LabPki pki) : IClassFixture<LabPki>
{
    [Fact]
    public async Task ProbeAsync_LocalClockOneYearAhead_ValidCertificateLooksExpired()
    {
        using var server = LoopbackTlsServer.Answering(pki.PublicLeaf(), pki.PublicIssuer);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow.AddYears(1));

        var result = await new TargetProber(clock).ProbeAsync(Probe.Target("127.0.0.1", server.Port),
            Probe.Settings() with { ExpectedRoots = [pki.PublicRoot] });

        Probe.AssertOutcome(result, Verdict.Fail, Phase.Tls, ReasonCode.TlsCertificateExpired);
        Assert.Equal(clock.GetUtcNow(), result.StartedAt);
    }

    [Fact]
    public async Task ProbeAsync_LocalClockTwoHoursBehind_NtpSkewTooLarge()
    {
        using var server = new SntpResponder(TimeSpan.Zero);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(-2));

        var result = await new TargetProber(clock).ProbeAsync(Probe.Target("127.0.0.1", server.Port, ProbeKind.Ntp), Probe.Settings());

        Probe.AssertOutcome(result, Verdict.Fail, Phase.Ntp, ReasonCode.NtpSkewTooLarge);
        Assert.InRange(result.Details.Ntp!.OffsetMs, 7_100_000, 7_300_000); // the server is about 2 h ahead of us
    }
}
