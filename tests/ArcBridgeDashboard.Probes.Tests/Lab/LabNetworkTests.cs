namespace ArcBridgeDashboard.Probes.Tests.Lab;

/// <summary>The lab itself, proven with curl and the kernel's own tools, without the product.</summary>
[Collection(LabCollection.Name)]
[Trait("Category", "Lab")]
public sealed class LabNetworkTests(LabFixture fixture)
{
    private static readonly TimeSpan Short = TimeSpan.FromSeconds(20);

    private LabProcessResult Curl(params string[] arguments)
    {
        var lab = fixture.Require();
        return lab.InCorp(Short, ["curl", "-sS", "-o", "/dev/null", "--max-time", "8", "--cacert", lab.Env["LAB_PUBLIC_ROOT"], .. arguments]);
    }

    [Fact]
    public void PlainProxy_ConnectToDeniedHost_Answers403()
    {
        var result = Curl("-w", "%{http_connect}", "--proxy", fixture.Require().Env["LAB_PROXY"], "https://sts.windows.net/");

        Assert.Equal("403", result.Stdout);
    }

    [Fact]
    public void PlainProxy_ConnectToAllowedHost_ReachesLabEndpoint()
    {
        var result = Curl("-w", "%{http_connect} %{http_code}", "--proxy", fixture.Require().Env["LAB_PROXY"], "https://mcr.microsoft.com/");

        Assert.True(result.Stdout == "200 200", result.ToString());
    }

    [Fact]
    public void AuthProxy_ConnectWithoutCredentials_Answers407()
    {
        var result = Curl("-w", "%{http_connect}", "--proxy", fixture.Require().Env["LAB_PROXY_AUTH"], "https://mcr.microsoft.com/");

        Assert.Equal("407", result.Stdout);
    }

    [Fact]
    public void AuthProxy_ConnectWithCredentials_ReachesLabEndpoint()
    {
        var env = fixture.Require().Env;
        var result = Curl("-w", "%{http_connect} %{http_code}", "--proxy", env["LAB_PROXY_AUTH"],
            "--proxy-user", $"{env["LAB_PROXY_USER"]}:{env["LAB_PROXY_PASSWORD"]}", "https://mcr.microsoft.com/");

        Assert.True(result.Stdout == "200 200", result.ToString());
    }

    [Fact]
    public void BumpProxy_Https_PresentsCertificateFromInspectingRoot()
    {
        var lab = fixture.Require();
        var result = lab.InCorp(Short, "curl", "-sS", "-v", "-o", "/dev/null", "--max-time", "8", "--cacert", lab.Env["LAB_INSPECT_ROOT"],
            "--proxy", lab.Env["LAB_PROXY_BUMP"], "https://packages.microsoft.com/");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("issuer: O=ArcBridge Lab; CN=ArcBridge Lab Inspecting CA", result.Stderr);
    }

    [Fact]
    public void CorpResolver_AllowlistName_ResolvesToLabInternet()
    {
        var result = fixture.Require().InCorp(Short, "getent", "ahostsv4", "files.pythonhosted.org");

        Assert.StartsWith("198.19.1.28", result.Stdout);
    }

    [Fact]
    public void ExpiredEndpoint_Https_FailsAsExpired()
    {
        var lab = fixture.Require();
        var result = Curl("--resolve", $"mcr.microsoft.com:443:{lab.Env["LAB_EXPIRED_IP"]}", "https://mcr.microsoft.com/");

        Assert.Contains("certificate has expired", result.Stderr);
    }

    [Fact]
    public void BlackholedAddress_Connect_TimesOut()
    {
        var lab = fixture.Require();
        var result = lab.InCorp(Short, "curl", "-sS", "--connect-timeout", "2", $"http://{lab.Env["LAB_BLACKHOLE_IP"]}:443/");

        Assert.True(result.ExitCode == 28, result.ToString()); // 28: operation timed out
    }

    [Fact]
    public void RejectedAddress_Connect_IsRefused()
    {
        var lab = fixture.Require();
        var result = lab.InCorp(Short, "curl", "-sS", "--connect-timeout", "2", $"http://{lab.Env["LAB_REJECT_IP"]}:443/");

        Assert.True(result.ExitCode == 7, result.ToString()); // 7: could not connect (reset)
    }

    [Fact]
    public void Namespaces_Routes_HaveNoWayOut()
    {
        var lab = fixture.Require();
        foreach (var ns in new[] { lab.Env["LAB_NS_CORP"], lab.Env["LAB_NS_INET"] })
        {
            var routes = LabProcess.Run("ip", ["-n", ns, "route", "show", "table", "all"], Short).Stdout;
            Assert.DoesNotContain("default", routes);
            Assert.DoesNotContain("10.255.255.53", routes);
        }
        var escape = lab.InCorp(Short, "curl", "-sS", "--connect-timeout", "2", "http://10.255.255.53/");
        Assert.Contains("Couldn't connect", escape.Stderr);
    }

    [Fact]
    public void TimeServer_SntpQuery_AnswersFromLabChrony()
    {
        var lab = fixture.Require();
        // chronyd -Q measures the offset and exits without touching the clock; its own pidfile keeps it clear of
        // any other chronyd on the machine.
        var result = lab.InCorp(Short, "chronyd", "-Q", "-t", "10", "-f", "/dev/null",
            $"server {lab.Env["LAB_NTP_IP"]} iburst maxsamples 1", $"pidfile {lab.StateDir}/chronyd-query.pid");

        Assert.Contains("System clock wrong by", result.Stderr + result.Stdout);
    }
}
