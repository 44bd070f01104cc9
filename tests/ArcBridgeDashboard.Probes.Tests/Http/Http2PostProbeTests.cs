using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Probes.Tests.Support;
using ArcBridgeDashboard.Probes.Tests.Tls;

namespace ArcBridgeDashboard.Probes.Tests.Http;

/// <summary>
/// The HTTP/2 POST a data-plane target gets after its GET, against real Kestrel behind real nginx, haproxy and squid
/// ssl-bump acting as the middleboxes that break it.
/// </summary>
public sealed class Http2PostProbeTests(LabPki pki) : IClassFixture<LabPki>
{
    private ProbeSettings Settings => Probe.Settings(timeoutSeconds: 3) with { ExpectedRoots = [pki.PublicRoot] };

    private static ProbeTarget DataPlane(int port) => Probe.Target("127.0.0.1", port) with { PostOverHttp2 = true };

    private Task<ArcEndpointServer> EndpointAsync(PostBehaviour post = PostBehaviour.Answer)
        => ArcEndpointServer.StartAsync(pki.PublicLeaf(), [pki.PublicIssuer], post);

    [Fact]
    public async Task ProbeAsync_EndpointAnswersPost_PassesWithPostStatus()
    {
        await using var endpoint = await EndpointAsync();

        var result = await Probe.RunAsync(DataPlane(endpoint.Port), Settings);

        Probe.AssertOutcome(result, Verdict.Pass, Phase.None, ReasonCode.Ok);
        Assert.Equal("HTTP/2.0", result.Details.Http!.Version);
        Assert.Equal(401, result.Details.Http.Http2PostStatus);
        Assert.Null(result.Details.Http.Http2PostError);
        Assert.Contains("HTTP/2 POST 401", result.Message);
        Assert.Equal(1, endpoint.Posts);
    }

    [Fact]
    public async Task ProbeAsync_TargetNotMarked_SendsNoPost()
    {
        await using var endpoint = await EndpointAsync();

        var result = await Probe.RunAsync(Probe.Target("127.0.0.1", endpoint.Port), Settings);

        Probe.AssertOutcome(result, Verdict.Pass, Phase.None, ReasonCode.Ok);
        Assert.Null(result.Details.Http!.Http2PostStatus);
        Assert.Equal(0, endpoint.Posts);
    }

    [Fact]
    public async Task ProbeAsync_InspectingNginxSpeaksOnlyHttp11_FailsHttp2Downgraded()
    {
        await using var endpoint = await EndpointAsync();
        // nginx terminates TLS with a leaf of the inspection CA and has no http2 on its listener: ALPN gives http/1.1.
        using var nginx = new NginxRunner(CertFactory.CreateLeaf(pki.InspectingRoot, ["127.0.0.1"]), [], endpoint.Port);

        var result = await Probe.RunAsync(DataPlane(nginx.Port), Settings);

        Probe.AssertOutcome(result, Verdict.Fail, Phase.Tls, ReasonCode.Http2Downgraded);
        Assert.Equal("http/1.1", result.Details.Tls!.Alpn);
        Assert.True(result.Details.Tls.Inspected);
        Assert.Contains("Contoso Inspection CA", result.Details.Tls.InterceptingIssuer);
        Assert.Contains("allow HTTP/2", result.Remedy);
    }

    [Fact]
    public async Task ProbeAsync_SameInspectionOnUnmarkedHost_StaysTlsInspected()
    {
        await using var endpoint = await EndpointAsync();
        using var nginx = new NginxRunner(CertFactory.CreateLeaf(pki.InspectingRoot, ["127.0.0.1"]), [], endpoint.Port);

        var result = await Probe.RunAsync(Probe.Target("127.0.0.1", nginx.Port), Settings);

        Probe.AssertOutcome(result, Verdict.Fail, Phase.Tls, ReasonCode.TlsInspected);
    }

    [Fact]
    public async Task ProbeAsync_ReverseProxyWithoutHttp2_FailsHttp2DowngradedAfterAnsweredGet()
    {
        await using var endpoint = await EndpointAsync();
        // A trusted chain, but the device in front talks only HTTP/1.1: reachable for a GET, not for Arc.
        using var nginx = new NginxRunner(pki.PublicLeaf(), [pki.PublicIssuer], endpoint.Port);

        var result = await Probe.RunAsync(DataPlane(nginx.Port), Settings);

        Probe.AssertOutcome(result, Verdict.Fail, Phase.Tls, ReasonCode.Http2Downgraded);
        Assert.False(result.Details.Tls!.Inspected);
        Assert.Equal(401, result.Details.Http!.StatusCode);
        Assert.Equal("HTTP/1.1", result.Details.Http.Version);
        Assert.Contains("answered 401", result.Message);
    }

    [Fact]
    public async Task ProbeAsync_SquidSslBumpOnDataPlane_FailsHttp2Downgraded()
    {
        await using var endpoint = await EndpointAsync();
        using var squid = new SslBumpSquidRunner(pki.InspectingRoot);
        var settings = Probe.Settings(timeoutSeconds: 8) with { Proxy = squid.Proxy, ExpectedRoots = [pki.PublicRoot] };

        var result = await Probe.RunAsync(DataPlane(endpoint.Port), settings);

        Probe.AssertOutcome(result, Verdict.Fail, Phase.Tls, ReasonCode.Http2Downgraded);
        Assert.NotEqual("h2", result.Details.Tls!.Alpn);
        Assert.Equal(200, result.Details.Proxy!.StatusCode);
        Assert.Contains("Contoso Inspection CA", result.Details.Tls.InterceptingIssuer);
    }

    [Fact]
    public async Task ProbeAsync_HaproxyRejectsPost_FailsHttp2PostRefused()
    {
        await using var endpoint = await EndpointAsync();
        using var haproxy = new HaproxyRunner(pki.PublicLeaf(), [pki.PublicIssuer], endpoint.Port, "    http-request reject if METH_POST");

        var result = await Probe.RunAsync(DataPlane(haproxy.Port), Settings);

        Probe.AssertOutcome(result, Verdict.Fail, Phase.Http, ReasonCode.Http2PostRefused);
        Assert.Equal("h2", result.Details.Tls!.Alpn);
        Assert.Equal(401, result.Details.Http!.StatusCode); // the GET went through
        Assert.Null(result.Details.Http.Http2PostStatus);
        Assert.False(string.IsNullOrEmpty(result.Details.Http.Http2PostError));
        Assert.Equal(0, endpoint.Posts);
        Assert.Contains("reset the stream", result.Details.Http.Http2PostError); // haproxy answers the rejected POST with RST_STREAM
    }

    [Fact]
    public async Task ProbeAsync_HaproxyTarpitsPost_FailsHttp2PostStalled()
    {
        await using var endpoint = await EndpointAsync();
        // tarpit holds the request for "timeout tarpit" (60 s), far past the probe's timeout.
        using var haproxy = new HaproxyRunner(pki.PublicLeaf(), [pki.PublicIssuer], endpoint.Port, "    http-request tarpit if METH_POST");

        var result = await Probe.RunAsync(DataPlane(haproxy.Port), Settings with { PhaseTimeout = TimeSpan.FromSeconds(2) });

        Probe.AssertOutcome(result, Verdict.Fail, Phase.Http, ReasonCode.Http2PostStalled);
        Assert.Equal(401, result.Details.Http!.StatusCode);
        Assert.Contains("no answer to a 4 KB HTTP/2 POST", result.Details.Http.Http2PostError);
        Assert.Equal(0, endpoint.Posts);
    }

    [Fact]
    public async Task ProbeAsync_HaproxySilentlyDropsOnPost_FailsHttp2PostStalled()
    {
        await using var endpoint = await EndpointAsync();
        // silent-drop forgets the connection without telling the client: from our side the POST just never gets an answer.
        using var haproxy = new HaproxyRunner(pki.PublicLeaf(), [pki.PublicIssuer], endpoint.Port, "    http-request silent-drop if METH_POST");

        var result = await Probe.RunAsync(DataPlane(haproxy.Port), Settings with { PhaseTimeout = TimeSpan.FromSeconds(2) });

        Probe.AssertOutcome(result, Verdict.Fail, Phase.Http, ReasonCode.Http2PostStalled);
        Assert.Equal(401, result.Details.Http!.StatusCode);
        Assert.Equal(0, endpoint.Posts);
    }

    [Fact]
    public async Task ProbeAsync_EndpointNeverAnswersPost_FailsHttp2PostStalled()
    {
        // A test server where no daemon config holds exactly one stream: Kestrel keeps the POST open until it stops.
        await using var endpoint = await EndpointAsync(PostBehaviour.NeverAnswer);

        var result = await Probe.RunAsync(DataPlane(endpoint.Port), Settings with { PhaseTimeout = TimeSpan.FromSeconds(2) });

        Probe.AssertOutcome(result, Verdict.Fail, Phase.Http, ReasonCode.Http2PostStalled);
        Assert.Contains("the GET on the same connection answered 401", result.Message);
    }

    [Fact]
    public async Task ProbeAsync_EndpointDropsConnectionOnPost_FailsHttp2PostReset()
    {
        // A test server: neither nginx nor haproxy closes the connection on one request on demand (haproxy's
        // silent-drop leaves the client waiting, see above), so Kestrel drops the socket when the POST arrives.
        await using var endpoint = await EndpointAsync(PostBehaviour.AbortConnection);

        var result = await Probe.RunAsync(DataPlane(endpoint.Port), Settings);

        Probe.AssertOutcome(result, Verdict.Fail, Phase.Http, ReasonCode.Http2PostReset);
        Assert.Equal(1, endpoint.Posts);
    }
}
