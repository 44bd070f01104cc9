using System.Text;
using ArcBridgeDashboard.Probes.Proxy;

namespace ArcBridgeDashboard.Probes.Tests.Proxy;

/// <summary>The parts of reading a proxy's error page that no real proxy here sends: odd bodies and hostile text.</summary>
public sealed class ProxyErrorPageTests
{
    [Fact]
    public async Task ReadBodyAsync_ContentLength_ReadsNoFurther()
    {
        using var stream = new MemoryStream(Encoding.ASCII.GetBytes("hello|next response"));

        var body = await ProxyErrorPage.ReadBodyAsync(stream, ["HTTP/1.1 502 Bad Gateway", "Content-Length: 5"], CancellationToken.None);

        Assert.Equal("hello", body);
        Assert.Equal(5, stream.Position);
    }

    [Fact]
    public async Task ReadBodyAsync_Chunked_StopsAtLastChunkAndDechunks()
    {
        using var stream = new MemoryStream(Encoding.ASCII.GetBytes("5\r\nCould\r\n9\r\n not find\r\n0\r\n\r\nnever read"));

        var body = await ProxyErrorPage.ReadBodyAsync(stream, ["HTTP/1.1 502 Bad Gateway", "Transfer-Encoding: chunked"], CancellationToken.None);

        Assert.Equal("Could not find", body);
    }

    [Fact]
    public async Task ReadBodyAsync_HugeBodyWithoutLength_ReadsAtMostTheCap()
    {
        using var stream = new MemoryStream(new byte[1024 * 1024]);

        var body = await ProxyErrorPage.ReadBodyAsync(stream, ["HTTP/1.1 500 Oops"], CancellationToken.None);

        Assert.Equal(ProxyErrorPage.MaxBodyBytes, body.Length);
    }

    [Fact]
    public void TextLines_HostilePage_KeepsPrintableVisibleTextOnly()
    {
        var page = "<html><head><title>t</title><style>p{color:red}</style></head><body><script>alert(1)</script>"
            + "<h1>Gateway\u202Eerror\u0007</h1>\n<p>a &amp; b\t c</p><!-- hidden --></body></html>";

        var lines = ProxyErrorPage.TextLines(page);

        Assert.Equal(["Gatewayerror", "a & b c"], lines);
        Assert.Equal("Gatewayerror | a & b c", ProxyErrorPage.Excerpt(lines));
    }

    [Fact]
    public void Excerpt_LongText_IsBounded()
    {
        var excerpt = ProxyErrorPage.Excerpt([new string('x', 5000)]);

        Assert.Equal(400, excerpt!.Length);
        Assert.EndsWith("…", excerpt);
    }

    [Fact]
    public void Classify_TargetNameLooksLikeDns_IsNotReadAsADnsFailure()
    {
        var kind = ProxyErrorPage.Classify(502, "HTTP/1.1 502 Bad Gateway", null,
            ["Could not connect to dns.contoso.com: Connection refused"], "dns.contoso.com");

        Assert.Equal(ProxyFailure.Connect, kind);
    }

    [Theory]
    [InlineData(502, "DNS lookup failure for: x.example", ProxyFailure.Dns)]
    [InlineData(503, "", ProxyFailure.Unclear)]
    [InlineData(500, "Internal error", ProxyFailure.None)]
    [InlineData(501, "Could not resolve", ProxyFailure.None)]
    public void Classify_WordsAndStatus(int status, string text, ProxyFailure expected)
        => Assert.Equal(expected, ProxyErrorPage.Classify(status, $"HTTP/1.1 {status} x", null, [text], "x.example"));
}
