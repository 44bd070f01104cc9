using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Probes.Sweeps;
using ArcBridgeDashboard.Probes.Tests.Support;

namespace ArcBridgeDashboard.Probes.Tests.Sweeps;

public sealed class TargetProberTests
{
    [Fact]
    public async Task ProbeAsync_HostUnknown_WarnsNeedsHostnameWithoutProbing()
    {
        var target = Probe.Target("x", 443) with { Host = null, HostPattern = "*.blob.core.windows.net" };

        var result = await Probe.RunAsync(target, Probe.Settings());

        Probe.AssertOutcome(result, Verdict.Warn, Phase.None, ReasonCode.NeedsHostname);
        Assert.Equal("*.blob.core.windows.net", result.Host);
        Assert.Contains("*.blob.core.windows.net", result.Message);
        Assert.False(result.TimingsMs.ContainsKey("dns"));
    }

    [Fact]
    public async Task ProbeAsync_StarInNoProxy_ThrowsClearError()
    {
        var settings = Probe.Settings() with { Proxy = new Uri("http://127.0.0.1:3128"), NoProxy = ["*"] };

        var error = await Assert.ThrowsAsync<FormatException>(() => Probe.RunAsync(Probe.Target("127.0.0.1", 443), settings));

        Assert.Contains("'*'", error.Message);
    }

    [Fact]
    public async Task ProbeAsync_CancelledToken_Throws()
    {
        using var peer = TcpPeer.Silent();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new TargetProber().ProbeAsync(Probe.Target("127.0.0.1", peer.Port), Probe.Settings(timeoutSeconds: 30), cts.Token));
    }

    [Fact]
    public void ReasonCatalog_EveryCode_HasVerdictMessageAndRemedy()
    {
        foreach (var code in Enum.GetValues<ReasonCode>())
        {
            var info = ReasonCatalog.Get(code);
            Assert.False(string.IsNullOrWhiteSpace(info.MessageTemplate), code.ToString());
            Assert.False(string.IsNullOrWhiteSpace(info.Remedy), code.ToString());
            Assert.Contains("{target}", info.MessageTemplate);
        }
    }

    [Fact]
    public void ToMarkdownTable_EveryCode_HasARow()
    {
        var table = ReasonCatalog.ToMarkdownTable();

        Assert.All(Enum.GetValues<ReasonCode>(), code => Assert.Contains($"| `{code}` |", table));
        Assert.Contains("| `TlsInspected` | Fail | Tls |", table);
    }
}
