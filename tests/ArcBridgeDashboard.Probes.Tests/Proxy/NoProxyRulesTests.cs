using ArcBridgeDashboard.Probes.Proxy;

namespace ArcBridgeDashboard.Probes.Tests.Proxy;

public sealed class NoProxyRulesTests
{
    private static readonly NoProxyRules Rules = NoProxyRules.Parse(["localhost", ".contoso.com", "10.0.0.0/8", "192.168.1.5", "fd00::/8", " management.corp.test ,.svc"]);

    [Theory]
    [InlineData("localhost", true)]
    [InlineData("vm1.contoso.com", true)]
    [InlineData("a.b.contoso.com", true)]
    [InlineData("contoso.com", false)] // a leading dot matches names below the domain only, as in Go's httpproxy
    [InlineData("notcontoso.com", false)]
    [InlineData("10.20.30.40", true)]
    [InlineData("11.0.0.1", false)]
    [InlineData("192.168.1.5", true)]
    [InlineData("192.168.1.6", false)]
    [InlineData("fd00::10", true)]
    [InlineData("[fd00::10]", true)]
    [InlineData("MANAGEMENT.corp.test", true)]
    [InlineData("kubernetes.default.svc", true)]
    [InlineData("mcr.microsoft.com", false)]
    public void Bypasses_Entry_MatchesArcRules(string host, bool expected) => Assert.Equal(expected, Rules.Bypasses(host));

    [Theory]
    [InlineData("*")]
    [InlineData("*.contoso.com")]
    public void Parse_Star_ThrowsNamingEntry(string entry)
    {
        var error = Assert.Throws<FormatException>(() => NoProxyRules.Parse([entry]));
        Assert.Contains(entry, error.Message);
        Assert.Contains("not support", error.Message);
    }

    [Theory]
    [InlineData("10.0.0.0/33")]
    [InlineData("http://proxy.corp")]
    [InlineData(".")]
    public void Parse_Malformed_ThrowsNamingEntry(string entry)
    {
        var error = Assert.Throws<FormatException>(() => NoProxyRules.Parse([entry]));
        Assert.Contains(entry, error.Message);
    }

    [Theory]
    [InlineData("https://proxy.contoso.test:443")]
    [InlineData("socks5://127.0.0.1:1080")]
    public void Validate_NonHttpProxy_ThrowsNamingUrl(string proxy)
    {
        var error = Assert.Throws<FormatException>(() => NoProxyRules.Validate(new Uri(proxy), []));
        Assert.Contains(new Uri(proxy).Scheme + "://", error.Message);
        Assert.Contains("must be an http:// URL", error.Message);
    }

    [Fact]
    public void Validate_HttpProxyAndRules_ReturnsRules()
    {
        var rules = NoProxyRules.Validate(new Uri("http://127.0.0.1:3128"), [".contoso.test"]);
        Assert.True(rules.Bypasses("a.contoso.test"));
    }
}
