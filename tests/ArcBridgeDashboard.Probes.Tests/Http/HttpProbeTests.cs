using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Probes.Tests.Support;
using ArcBridgeDashboard.Probes.Tests.Tls;
using ArcBridgeDashboard.Testing;

namespace ArcBridgeDashboard.Probes.Tests.Http;

public sealed class HttpProbeTests(LabPki pki) : IClassFixture<LabPki>
{
    private ProbeSettings Settings => Probe.Settings() with { ExpectedRoots = [pki.PublicRoot] };

    [Fact]
    public async Task ProbeAsync_ServerAnswers404_PassesAsReachable()
    {
        using var server = LoopbackTlsServer.Answering(pki.PublicLeaf(), pki.PublicIssuer);

        var result = await Probe.RunAsync(Probe.Target("127.0.0.1", server.Port), Settings);

        Probe.AssertOutcome(result, Verdict.Pass, Phase.None, ReasonCode.Ok);
        Assert.Equal(404, result.Details.Http!.StatusCode);
        Assert.Equal("HTTP/1.1", result.Details.Http.Version);
        Assert.False(result.Details.Http.Http2Offered);
    }

    [Fact]
    public async Task ProbeAsync_KestrelOffersH2_PassesOverHttp2With401()
    {
        await using var server = await ArcEndpointServer.StartAsync(pki.PublicLeaf(), [pki.PublicIssuer]);

        var result = await Probe.RunAsync(Probe.Target("127.0.0.1", server.Port), Settings);

        Probe.AssertOutcome(result, Verdict.Pass, Phase.None, ReasonCode.Ok);
        Assert.Equal("h2", result.Details.Tls!.Alpn);
        Assert.Equal(401, result.Details.Http!.StatusCode);
        Assert.Equal("HTTP/2.0", result.Details.Http.Version);
        Assert.Equal("Kestrel", result.Details.Http.Server);
        Assert.Null(result.Details.Http.Http2Error);
    }

    [Fact]
    public async Task ProbeAsync_H2NegotiatedThenGoAway_WarnsHttp2Rejected()
    {
        using var server = LoopbackTlsServer.BreakHttp2(pki.PublicLeaf(), pki.PublicIssuer);

        var result = await Probe.RunAsync(Probe.Target("127.0.0.1", server.Port), Settings);

        Probe.AssertOutcome(result, Verdict.Warn, Phase.Http, ReasonCode.Http2Rejected);
        Assert.True(result.Details.Http!.Http2Offered);
        Assert.False(string.IsNullOrEmpty(result.Details.Http.Http2Error));
        Assert.Equal("h2", result.Details.Tls!.Alpn);
        Assert.Equal(404, result.Details.Http.StatusCode); // HTTP/1.1 on a new connection still reaches the service
        Assert.Equal("HTTP/1.1", result.Details.Http.Version);
        Assert.Contains("HTTP/1.1 on a new connection answered 404", result.Message);
    }

    [Fact]
    public async Task ProbeAsync_H2RejectedAndHttp11Cut_FailsHttpNoResponse()
    {
        using var server = LoopbackTlsServer.BreakHttp2AndHttp11(pki.PublicLeaf(), pki.PublicIssuer);

        var result = await Probe.RunAsync(Probe.Target("127.0.0.1", server.Port), Settings);

        Probe.AssertOutcome(result, Verdict.Fail, Phase.Http, ReasonCode.HttpNoResponse);
        Assert.Contains("HTTP/2 had failed before", result.Message);
        Assert.False(string.IsNullOrEmpty(result.Details.Http!.Http2Error));
    }

    [Fact]
    public async Task ProbeAsync_ServerClosesAfterHandshake_FailsHttpNoResponse()
    {
        using var server = LoopbackTlsServer.CloseAfterHandshake(pki.PublicLeaf(), pki.PublicIssuer);

        var result = await Probe.RunAsync(Probe.Target("127.0.0.1", server.Port), Settings);

        Probe.AssertOutcome(result, Verdict.Fail, Phase.Http, ReasonCode.HttpNoResponse);
    }

    [Fact]
    public async Task ProbeAsync_ServerNeverAnswersRequest_FailsHttpTimeout()
    {
        using var server = LoopbackTlsServer.SilentAfterHandshake(pki.PublicLeaf(), pki.PublicIssuer);

        var result = await Probe.RunAsync(Probe.Target("127.0.0.1", server.Port), Settings with { PhaseTimeout = TimeSpan.FromSeconds(1) });

        Probe.AssertOutcome(result, Verdict.Fail, Phase.Http, ReasonCode.HttpTimeout);
    }
}
