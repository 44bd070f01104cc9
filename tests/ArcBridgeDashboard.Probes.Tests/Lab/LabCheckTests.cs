namespace ArcBridgeDashboard.Probes.Tests.Lab;

/// <summary>The product in the lab: the agent's `check --format json` run inside the corporate namespace.</summary>
[Collection(LabCollection.Name)]
[Trait("Category", "Lab")]
public sealed class LabCheckTests(LabFixture fixture)
{
    // 4 s per phase: blackholed paths still end quickly, and a proxied pass survives a loaded machine (2 s did not at load 25).
    private LabCheckRun Check(params string[] arguments) => fixture.Require().Check([.. arguments, "--timeout", "4"]);

    /// <summary>For runs where every check should pass: a slow machine then costs time, never a verdict.</summary>
    private LabCheckRun CheckAllPassing(params string[] arguments) => fixture.Require().Check([.. arguments, "--timeout", "20"]);

    [Fact]
    public void Check_PlainProxy_AllowlistHostsPassExceptDeniedOne()
    {
        var run = CheckAllPassing("--via", "plain");

        var https = run.Results.Where(r => r.GetProperty("port").GetInt32() == 443 && !LabCheckRun.Text(r, "host").Contains('*')).ToList();
        Assert.True(https.Count >= 19, run.Process.ToString());
        foreach (var result in https.Where(r => LabCheckRun.Text(r, "host") != "sts.windows.net"))
        {
            Assert.True(LabCheckRun.Text(result, "verdict") == "Pass", $"{LabCheckRun.Text(result, "host")}: {result}");
        }
    }

    [Fact]
    public void Check_PlainProxy_DeniedHostIsProxyDenied()
    {
        var result = Check("--via", "plain").For("sts.windows.net");

        Assert.Equal("Fail", LabCheckRun.Text(result, "verdict"));
        Assert.Equal("Proxy", LabCheckRun.Text(result, "phase"));
        Assert.Equal("ProxyDenied", LabCheckRun.Text(result, "reason"));
        Assert.Equal(403, result.GetProperty("details").GetProperty("proxy").GetProperty("statusCode").GetInt32());
    }

    [Fact]
    public void Check_AuthProxyWithoutCredentials_ProxyAuthRequired()
    {
        var result = Check("--via", "auth").For("mcr.microsoft.com");

        Assert.Equal("Proxy", LabCheckRun.Text(result, "phase"));
        Assert.Equal("ProxyAuthRequired", LabCheckRun.Text(result, "reason"));
    }

    [Fact]
    public void Check_AuthProxyWithCredentials_Passes()
    {
        var result = Check("--via", "auth-creds").For("mcr.microsoft.com");

        Assert.True(LabCheckRun.Text(result, "verdict") == "Pass", result.ToString());
    }

    [Fact]
    public void Check_BumpProxy_TlsInspectedNamesInspectingIssuer()
    {
        var result = Check("--via", "bump").For("mcr.microsoft.com");

        Assert.Equal("Fail", LabCheckRun.Text(result, "verdict"));
        Assert.Equal("Tls", LabCheckRun.Text(result, "phase"));
        Assert.Equal("TlsInspected", LabCheckRun.Text(result, "reason"));
        Assert.Contains("ArcBridge Lab Inspecting CA", LabCheckRun.Text(result, "message"));
        var tls = result.GetProperty("details").GetProperty("tls");
        Assert.True(tls.GetProperty("inspected").GetBoolean(), tls.ToString());
        Assert.Equal("CN=ArcBridge Lab Inspecting CA, O=ArcBridge Lab", LabCheckRun.Text(tls, "interceptingIssuer"));
    }

    [Fact]
    public void Check_BumpProxy_DataPlaneIsHttp2Downgraded()
    {
        // squid's bumped side speaks HTTP/1.1 only, while the lab's data plane (nginx) speaks h2 like Azure's.
        var result = Check("--via", "bump").For("eastus.dp.prod.appliances.azure.com");

        Assert.Equal("Fail", LabCheckRun.Text(result, "verdict"));
        Assert.Equal("Tls", LabCheckRun.Text(result, "phase"));
        Assert.Equal("Http2Downgraded", LabCheckRun.Text(result, "reason"));
        Assert.Contains("allow HTTP/2", LabCheckRun.Text(result, "remedy"));
        var tls = result.GetProperty("details").GetProperty("tls");
        Assert.Equal("CN=ArcBridge Lab Inspecting CA, O=ArcBridge Lab", LabCheckRun.Text(tls, "interceptingIssuer"));
    }

    [Fact]
    public void Check_PlainProxy_DataPlaneAnswersTheHttp2Post()
    {
        var result = Check("--via", "plain").For("eastus.dp.prod.appliances.azure.com");

        Assert.True(LabCheckRun.Text(result, "verdict") == "Pass", result.ToString());
        var http = result.GetProperty("details").GetProperty("http");
        Assert.Equal("HTTP/2.0", LabCheckRun.Text(http, "version"));
        Assert.Equal(401, http.GetProperty("http2PostStatus").GetInt32());
    }

    [Fact]
    public void Check_PlainProxy_DeniedCrlHostIsRevocationBlockedNamingTheEndpointsThatNeedIt()
    {
        var lab = fixture.Require();
        var result = Check("--via", "plain").For(lab.Env["LAB_CRL_HOST"], 80);

        Assert.Equal("Fail", LabCheckRun.Text(result, "verdict"));
        Assert.Equal("Proxy", LabCheckRun.Text(result, "phase"));
        Assert.Equal("RevocationBlocked", LabCheckRun.Text(result, "reason"));
        Assert.True(result.GetProperty("required").GetBoolean(), result.ToString());
        // Every lab leaf names this CRL point, so the row says which endpoints' certificate checks it breaks: the first
        // few in the message, all of them in the evidence.
        Assert.Contains("depend on it", LabCheckRun.Text(result, "message"));
        Assert.Contains("azurearcfork8s.azurecr.io:443", LabCheckRun.Text(result, "message"));
        var neededBy = result.GetProperty("details").GetProperty("revocation").GetProperty("neededBy").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains("mcr.microsoft.com:443", neededBy);
        Assert.True(neededBy.Count >= 19, string.Join(", ", neededBy));
        Assert.Equal(403, result.GetProperty("details").GetProperty("proxy").GetProperty("statusCode").GetInt32());
    }

    [Fact]
    public void Check_Tinyproxy_CrlHostAndDefaultRevocationServersPass()
    {
        var run = CheckAllPassing("--via", "tinyproxy");

        var revocation = run.Results.Where(r => r.GetProperty("port").GetInt32() == 80).ToList();
        Assert.Equal(6, revocation.Count);
        Assert.All(revocation, r => Assert.True(LabCheckRun.Text(r, "verdict") == "Pass", r.ToString()));
        var crl = run.For(fixture.Require().Env["LAB_CRL_HOST"], 80);
        Assert.Equal(200, crl.GetProperty("details").GetProperty("revocation").GetProperty("statusCode").GetInt32());
    }

    [Fact]
    public void Check_BumpProxy_SaveInspectionRootWritesExactlyTheLabInspectingRoot()
    {
        var lab = fixture.Require();
        var path = Path.Combine(Path.GetTempPath(), $"inspection-root-{Guid.NewGuid():N}.pem");
        try
        {
            var run = Check("--via", "bump", "--save-inspection-root", path);

            Assert.True(File.Exists(path), run.Process.ToString());
            var pem = File.ReadAllText(path);
            var written = new System.Security.Cryptography.X509Certificates.X509Certificate2Collection();
            written.ImportFromPem(pem);
            var only = Assert.Single(written);
            var expected = new System.Security.Cryptography.X509Certificates.X509Certificate2Collection();
            expected.ImportFromPemFile(lab.Env["LAB_INSPECT_ROOT"]);
            Assert.Equal(Assert.Single(expected).RawData, only.RawData);
            var root = run.For("mcr.microsoft.com").GetProperty("details").GetProperty("tls").GetProperty("interceptingRoot");
            Assert.Equal("CN=ArcBridge Lab Inspecting CA, O=ArcBridge Lab", LabCheckRun.Text(root, "subject"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Check_Direct_TimeWindowsComNtpPassesWithOffset()
    {
        var result = CheckAllPassing("--via", "direct").For("time.windows.com", 123);

        Assert.Equal("Pass", LabCheckRun.Text(result, "verdict"));
        var ntp = result.GetProperty("details").GetProperty("ntp");
        Assert.True(Math.Abs(ntp.GetProperty("offsetMs").GetDouble()) < 60_000, ntp.ToString());
        Assert.Equal(3, ntp.GetProperty("stratum").GetInt32());
    }

    [Fact]
    public void Check_DirectGoodDns_ExitsZero()
    {
        var run = CheckAllPassing("--via", "direct");

        Assert.True(run.Process.ExitCode == 0, run.Process.ToString());
    }

    [Fact]
    public void Check_PlainProxy_ApplianceVmReachedDirectly()
    {
        var lab = fixture.Require();
        var result = Check("--via", "plain").For(lab.Env["LAB_APPLIANCE_VM_IP"], 6443);

        Assert.Equal("Pass", LabCheckRun.Text(result, "verdict"));
        Assert.Equal($"{lab.Env["LAB_APPLIANCE_VM_IP"]}:6443", LabCheckRun.Text(result.GetProperty("details"), "connectedAddress"));
    }

    [Fact]
    public void Check_AddressAddedToBlackholedSet_TimesOut()
    {
        var lab = fixture.Require();
        var controlPlane = lab.Env["LAB_CONTROL_PLANE_IP"];
        string[] nft = ["nft", "{0}", "element", "inet", lab.Env["LAB_NFT_TABLE"], "blackholed", $"{{ {controlPlane} }}"];
        var added = lab.InCorp(TimeSpan.FromSeconds(10), [.. nft.Select(a => a == "{0}" ? "add" : a)]);
        Assert.True(added.ExitCode == 0, added.ToString());
        try
        {
            var result = Check("--via", "direct", "--role", "ManagementMachine").For(controlPlane, 6443);

            Assert.Equal("Tcp", LabCheckRun.Text(result, "phase"));
            Assert.Equal("TcpTimeout", LabCheckRun.Text(result, "reason"));
        }
        finally
        {
            lab.InCorp(TimeSpan.FromSeconds(10), [.. nft.Select(a => a == "{0}" ? "delete" : a)]);
        }
    }

    [Theory]
    [InlineData("pypi.org", 443, "Tcp", "TcpTimeout")]                                    // blackholed
    [InlineData("gcs.prod.monitoring.core.windows.net", 443, "Tcp", "TcpRefused")]        // nftables tcp reset
    [InlineData("linuxgeneva-microsoft.azurecr.io", 443, "Tcp", "TcpUnreachable")]        // icmp host-unreachable
    [InlineData("v20.events.data.microsoft.com", 443, "Dns", "DnsNxDomain")]
    [InlineData("adhs.events.data.microsoft.com", 443, "Dns", "DnsRefused")]
    [InlineData("mcr.microsoft.com", 443, "Tls", "TlsCertificateExpired")]
    [InlineData("packages.microsoft.com", 443, "Tls", "TlsProtocolTooOld")]               // TLS 1.1-only endpoint
    [InlineData("time.windows.com", 123, "Ntp", "NtpNoResponse")]                         // blackholed
    [InlineData("msk8s.api.cdp.microsoft.com", 443, "Http", "ClockSkewTooLarge")]       // its Date header is 40 min ahead
    public void Check_BrokenDnsView_ReportsFault(string host, int port, string phase, string reason)
    {
        var run = Check("--via", "direct", "--dns", "broken");
        var result = run.For(host, port);

        Assert.True(run.Process.ExitCode == 1, run.Process.ToString());
        Assert.Equal("Fail", LabCheckRun.Text(result, "verdict"));
        Assert.Equal(phase, LabCheckRun.Text(result, "phase"));
        Assert.Equal(reason, LabCheckRun.Text(result, "reason"));
    }

    /// <summary>
    /// Region westus3: the proxy's DNS (the lab's good view) owns the data-plane zone, so westus3.dp… does not exist, and it
    /// refuses wus3.his.arc.azure.com, a name in no zone it owns. squid and tinyproxy word this differently (squid's
    /// ERR_CANNOT_FORWARD, tinyproxy's "500 Unable to connect"); both must come out as DNS at the proxy, never as a proxy fault.
    /// </summary>
    [Theory]
    [InlineData("plain", "westus3.dp.prod.appliances.azure.com", "ProxyDnsNxDomain", "NXDOMAIN")]
    [InlineData("plain", "wus3.his.arc.azure.com", "ProxyDnsRefused", "REFUSED")]
    [InlineData("tinyproxy", "westus3.dp.prod.appliances.azure.com", "ProxyDnsNxDomain", "NXDOMAIN")]
    [InlineData("tinyproxy", "wus3.his.arc.azure.com", "ProxyDnsRefused", "REFUSED")]
    public void Check_ProxyCannotResolveName_DnsAtTheProxy(string via, string host, string reason, string rcode)
    {
        var run = Check("--via", via, "--region", "westus3");
        var result = run.For(host);

        // The whole result in the message: one run under load once gave another reason, and the evidence says why.
        Assert.True(LabCheckRun.Text(result, "reason") == reason, $"expected {reason}, got {result}");
        Assert.Equal("Fail", LabCheckRun.Text(result, "verdict"));
        Assert.Equal("Dns", LabCheckRun.Text(result, "phase"));
        Assert.StartsWith("DNS at the proxy:", LabCheckRun.Text(result, "message"));
        Assert.DoesNotContain("CONNECT", LabCheckRun.Text(result, "remedy"));
        var proxy = result.GetProperty("details").GetProperty("proxy");
        Assert.Equal(500, proxy.GetProperty("statusCode").GetInt32());
        Assert.Equal(rcode, LabCheckRun.Text(proxy.GetProperty("dnsCheck"), "responseCode"));
        // The same proxy still carries every name its DNS knows: the fault is the name, not the proxy.
        Assert.Equal("Pass", LabCheckRun.Text(run.For("gbl.his.arc.azure.com"), "verdict"));
    }

    [Fact]
    public void Check_Tinyproxy_AllowlistHostsPass()
    {
        var run = CheckAllPassing("--via", "tinyproxy");

        var https = run.Results.Where(r => r.GetProperty("port").GetInt32() == 443 && !LabCheckRun.Text(r, "host").Contains('*')).ToList();
        Assert.True(https.Count >= 19, run.Process.ToString());
        Assert.All(https, r => Assert.True(LabCheckRun.Text(r, "verdict") == "Pass", r.ToString()));
    }

    /// <summary>
    /// Arc gateway mode with squid's https_port standing in for the gateway on the lab internet: covered hosts go through
    /// it (behind the corporate proxy or not), the direct list does not, the gateway refuses one host, and a corporate
    /// proxy that inspects TLS breaks the gateway itself.
    /// </summary>
    [Theory]
    [InlineData("plain")]
    [InlineData("direct")]
    public void Check_Gateway_CoveredHostsThroughItDirectListAroundItOneRefused(string via)
    {
        var lab = fixture.Require();
        var run = Check("--via", via, "--gateway", lab.Env["LAB_GATEWAY"]);

        var mcr = run.For("mcr.microsoft.com");
        Assert.Equal("Pass", LabCheckRun.Text(mcr, "verdict"));
        Assert.Contains("via", LabCheckRun.Text(mcr, "message"));
        Assert.Contains("Arc gateway", LabCheckRun.Text(mcr, "message"));
        Assert.Equal(200, mcr.GetProperty("details").GetProperty("gateway").GetProperty("statusCode").GetInt32());
        var his = run.For("gbl.his.arc.azure.com");
        Assert.Equal("Pass", LabCheckRun.Text(his, "verdict"));
        Assert.False(his.GetProperty("details").TryGetProperty("gateway", out _), his.ToString());
        var refused = run.For(lab.Env["LAB_GATEWAY_DENIED_HOST"]);
        Assert.Equal("GatewayRefused", LabCheckRun.Text(refused, "reason"));
        Assert.Equal(403, refused.GetProperty("details").GetProperty("gateway").GetProperty("statusCode").GetInt32());
    }

    [Fact]
    public void Check_GatewayBehindInspectingProxy_GatewayInspected()
    {
        var lab = fixture.Require();
        var result = Check("--via", "bump", "--gateway", lab.Env["LAB_GATEWAY"]).For("mcr.microsoft.com");

        Assert.Equal("Fail", LabCheckRun.Text(result, "verdict"));
        Assert.Equal("GatewayInspected", LabCheckRun.Text(result, "reason"));
        Assert.Contains("ArcBridge Lab Inspecting CA", LabCheckRun.Text(result.GetProperty("details").GetProperty("gateway").GetProperty("tls"), "interceptingIssuer"));
    }

    /// <summary>
    /// Data planes behind haproxy, which answers GET but refuses (RST_STREAM) or tarpits Arc's HTTP/2 POST, and one
    /// behind corp's nftables, which resets the connection when the POST body's large segments go out.
    /// </summary>
    [Theory]
    [InlineData("refuse.dp.prod.appliances.azure.com", "Http2PostRefused")]
    [InlineData("stall.dp.prod.appliances.azure.com", "Http2PostStalled")]
    [InlineData("reset.dp.prod.appliances.azure.com", "Http2PostReset")]
    public void Check_DataPlaneBehindMiddlebox_PostFaultDiagnosed(string host, string reason)
    {
        var run = Check("--via", "direct", "--wildcard",
            "*.dp.prod.appliances.azure.com=refuse.dp.prod.appliances.azure.com,stall.dp.prod.appliances.azure.com,reset.dp.prod.appliances.azure.com");
        var result = run.For(host);

        Assert.Equal("Fail", LabCheckRun.Text(result, "verdict"));
        Assert.Equal("Http", LabCheckRun.Text(result, "phase"));
        Assert.Equal(reason, LabCheckRun.Text(result, "reason"));
        Assert.Equal(401, result.GetProperty("details").GetProperty("http").GetProperty("statusCode").GetInt32()); // the GET was answered
    }

    [Fact]
    public void Check_BrokenDnsView_DateTenMinutesAhead_WarnsClockSkewHigh()
    {
        var result = Check("--via", "direct", "--dns", "broken").For("pythonhosted.org");

        Assert.Equal("Warn", LabCheckRun.Text(result, "verdict"));
        Assert.Equal("ClockSkewHigh", LabCheckRun.Text(result, "reason"));
        // The Date header has whole seconds: 10 min ahead reads as 9 min 59 s to 10 min 0 s.
        Assert.Matches(@"this clock is (9 min 5\d s|10 min 0 s) behind", LabCheckRun.Text(result, "message"));
    }

    [Fact]
    public void Check_GatewayWantingTheAgentsIdentity_WarnsGatewayAuthRequired()
    {
        var result = Check("--via", "plain", "--gateway", "https://labgw-auth.gw.arc.azure.com").For("mcr.microsoft.com");

        Assert.Equal("Warn", LabCheckRun.Text(result, "verdict"));
        Assert.Equal("GatewayAuthRequired", LabCheckRun.Text(result, "reason"));
        Assert.Equal(407, result.GetProperty("details").GetProperty("gateway").GetProperty("statusCode").GetInt32());
    }

    /// <summary>
    /// The 2026 allowlist's service bus (WebSocket) on a lab server that never upgrades: no 101 is WebSocketUpgradeRefused,
    /// while the corporate proxy denying the host stays ProxyDenied.
    /// </summary>
    [Theory]
    [InlineData("lab.servicebus.windows.net", "WebSocketUpgradeRefused")]   // nginx answers 401, no 101
    [InlineData("held.servicebus.windows.net", "WebSocketUpgradeBroken")]   // haproxy holds the upgrade request
    public void Check_ServiceBusThatDoesNotUpgrade_WebSocketFaultDiagnosed(string host, string reason)
    {
        var result = Check("--via", "plain", "--catalog", Fixtures.FixtureFiles.PathOf(Fixtures.PublishedAllowlists.Current),
            "--wildcard", "*.servicebus.windows.net=lab.servicebus.windows.net,held.servicebus.windows.net").For(host);

        Assert.Equal("Fail", LabCheckRun.Text(result, "verdict"));
        Assert.Equal(reason, LabCheckRun.Text(result, "reason"));
    }
}
