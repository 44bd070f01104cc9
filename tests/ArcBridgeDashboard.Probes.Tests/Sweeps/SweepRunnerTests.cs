using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Probes.Sweeps;
using ArcBridgeDashboard.Probes.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace ArcBridgeDashboard.Probes.Tests.Sweeps;

public sealed class SweepRunnerTests
{
    [Fact]
    public async Task RunAsync_SlowPeerAmongFastOnes_YieldsAllInCompletionOrder()
    {
        // The slow target is listed first: with a sequential sweep it would come first; run concurrently it finishes last.
        using var slow = new SntpResponder(TimeSpan.Zero, silent: true);
        using var fast = new SntpResponder(TimeSpan.Zero);
        var targets = new List<ProbeTarget> { Probe.Target("127.0.0.1", slow.Port, ProbeKind.Ntp) with { Service = "slow" } };
        for (var i = 0; i < 5; i++)
            targets.Add(Probe.Target("127.0.0.1", fast.Port, ProbeKind.Ntp) with { Service = $"fast{i}" });
        targets.Add(Probe.Target("127.0.0.1", Ports.ClosedTcp(), ProbeKind.TcpDirect) with { Service = "refused" });

        var results = new List<ProbeResult>();
        await foreach (var result in new SweepRunner().RunAsync(targets, Probe.Settings(timeoutSeconds: 2) with { MaxParallelism = 8 }))
            results.Add(result);

        Assert.Equal(targets.Count, results.Count);
        Assert.Equal(targets.Select(t => t.Service).Order(), results.Select(r => r.Service).Order());
        Assert.Equal("slow", results[^1].Service);
        Assert.Equal(ReasonCode.NtpNoResponse, results[^1].Reason);
    }

    [Fact]
    public async Task RunAsync_ParallelismOne_StillYieldsEveryTarget()
    {
        using var fast = new SntpResponder(TimeSpan.Zero);
        var targets = Enumerable.Range(0, 3).Select(i => Probe.Target("127.0.0.1", fast.Port, ProbeKind.Ntp) with { Service = $"t{i}" }).ToList();

        var results = new List<ProbeResult>();
        await foreach (var result in new SweepRunner().RunAsync(targets, Probe.Settings() with { MaxParallelism = 1 }))
            results.Add(result);

        Assert.Equal(["t0", "t1", "t2"], results.Select(r => r.Service));
        Assert.All(results, r => Assert.Equal(Verdict.Pass, r.Verdict));
    }

    [Fact]
    public async Task RunAsync_StarInNoProxy_ThrowsBeforeProbing()
    {
        var settings = Probe.Settings() with { NoProxy = [".contoso.com", "*"] };

        await Assert.ThrowsAsync<FormatException>(async () =>
        {
            await foreach (var _ in new SweepRunner().RunAsync([Probe.Target("127.0.0.1", 1)], settings)) { }
        });
    }
}

public sealed class ProbeEngineRegistrationTests
{
    [Fact]
    public async Task AddProbeEngine_ResolvedRunner_ProbesWithRegisteredClock()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));
        using var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection()
            .AddSingleton<TimeProvider>(clock)
            .AddProbeEngine()
            .BuildServiceProvider();
        var runner = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<SweepRunner>(services);

        var results = new List<ProbeResult>();
        await foreach (var result in runner.RunAsync([Probe.Target("x", 443) with { Host = null }], Probe.Settings()))
            results.Add(result);

        Assert.Equal(ReasonCode.NeedsHostname, Assert.Single(results).Reason);
        Assert.Equal(clock.GetUtcNow(), results[0].StartedAt);
    }
}
