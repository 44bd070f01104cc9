using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Components.Shared;
using Bunit;

namespace ArcBridgeDashboard.Web.Tests.Components;

public sealed class EvidencePanelTests : DashboardComponentTest
{
    private static ProbeDetails Details(bool inspected) => new()
    {
        Dns = new DnsDetails
        {
            Server = "127.0.0.53", ResponseCode = "NoError",
            Addresses = ["127.0.0.10"], CnameChain = ["mcr.microsoft.com", "mcr.trafficmanager.net"],
        },
        Proxy = new ProxyDetails { Proxy = "http://127.0.0.1:3128", StatusCode = 200, StatusLine = "HTTP/1.1 200 Connection established", Server = "squid/6.6", Via = "1.1 proxy (squid)" },
        Tls = new TlsDetails
        {
            Protocol = "Tls13", Inspected = inspected,
            InterceptingIssuer = inspected ? "CN=Contoso Inspection CA" : null,
            Chain =
            [
                new CertificateSummary { Subject = "CN=mcr.microsoft.com", Issuer = "CN=Contoso Inspection CA", Sha256 = new string('a', 64) },
                new CertificateSummary { Subject = "CN=Contoso Inspection CA", Issuer = "CN=Contoso Inspection CA", Sha256 = new string('b', 64) },
            ],
        },
        Ntp = new NtpDetails { Server = "127.0.0.1", OffsetMs = 1234.5, Stratum = 3 },
    };

    [Fact]
    public void Render_InspectedTls_ShowsInterceptingIssuer()
    {
        var cut = Render<EvidencePanel>(p => p
            .Add(c => c.Details, Details(inspected: true))
            .Add(c => c.Phase, Phase.Tls).Add(c => c.Reason, ReasonCode.TlsInspected)
            .Add(c => c.Message, "TLS is inspected").Add(c => c.Remedy, "Exclude *.microsoft.com from TLS inspection"));

        Assert.Equal("CN=Contoso Inspection CA", cut.Find("[data-testid=tls-intercepting-issuer]").TextContent);
        Assert.Equal("Exclude *.microsoft.com from TLS inspection", cut.Find("[data-testid=remedy]").TextContent);
        Assert.Equal(3, cut.FindAll("[data-testid=evidence-tls-chain] tr").Count);
    }

    [Fact]
    public void Render_InspectedTlsWithRoot_ShowsSubjectHashArcSettingAndDownloadLink()
    {
        var id = Guid.NewGuid();
        var details = Details(inspected: true);
        details = details with
        {
            Tls = details.Tls! with
            {
                InterceptingRoot = new InterceptingRoot { Subject = "CN=Contoso Inspection CA", Sha256 = new string('b', 64), Pem = "-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n" },
            },
        };

        var cut = Render<EvidencePanel>(p => p.Add(c => c.Details, details).Add(c => c.ResultId, id));

        Assert.Equal("CN=Contoso Inspection CA", cut.Find("[data-testid=inspection-root-subject]").TextContent);
        Assert.Equal(new string('b', 64), cut.Find("[data-testid=inspection-root-sha256]").TextContent);
        Assert.Contains("--proxy-cert", cut.Find("[data-testid=inspection-root-setting]").TextContent);
        Assert.Contains("certificateFilePath", cut.Find("[data-testid=inspection-root-setting]").TextContent);
        Assert.Equal($"/results/{id}/inspection-root.pem", cut.Find("[data-testid=inspection-root-download]").GetAttribute("href"));
    }

    [Fact]
    public void Render_InspectedTlsWithoutPresentedRoot_SaysToAskForIt()
    {
        var cut = Render<EvidencePanel>(p => p.Add(c => c.Details, Details(inspected: true)).Add(c => c.ResultId, Guid.NewGuid()));

        Assert.Contains("CN=Contoso Inspection CA", cut.Find("[data-testid=inspection-root-missing]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=inspection-root-download]"));
    }

    [Fact]
    public void Render_RevocationResult_ShowsUrlAnswerAndTheEndpointsThatNeedIt()
    {
        var details = new ProbeDetails
        {
            Proxy = new ProxyDetails { Proxy = "http://127.0.0.1:3128", StatusCode = 403, StatusLine = "HTTP/1.1 403 Forbidden", ErrorHeader = "X-Squid-Error: ERR_ACCESS_DENIED 0" },
            Revocation = new RevocationDetails
            {
                Url = "http://crl3.digicert.com/DigiCertGlobalRootG2.crl", StatusCode = 403, StatusLine = "HTTP/1.1 403 Forbidden",
                NeededBy = ["mcr.microsoft.com:443", "management.azure.com:443"],
            },
        };

        var cut = Render<EvidencePanel>(p => p.Add(c => c.Details, details).Add(c => c.Reason, ReasonCode.RevocationBlocked).Add(c => c.Phase, Phase.Proxy));

        Assert.Contains("http://crl3.digicert.com/DigiCertGlobalRootG2.crl", cut.Find("[data-testid=evidence-revocation]").TextContent);
        Assert.Equal("mcr.microsoft.com:443, management.azure.com:443", cut.Find("[data-testid=evidence-revocation-needed-by]").TextContent.Trim());
    }

    [Fact]
    public void Render_ChainWithRevocationUrls_ListsThemPerCertificate()
    {
        var details = Details(inspected: false);
        details = details with
        {
            Tls = details.Tls! with
            {
                Chain = [details.Tls.Chain[0] with { CrlUrls = ["http://crl3.digicert.com/a.crl"], OcspUrls = ["http://ocsp.digicert.com"] }],
            },
        };

        var cut = Render<EvidencePanel>(p => p.Add(c => c.Details, details));

        var cell = cut.Find("[data-testid=evidence-chain-revocation]").TextContent;
        Assert.Contains("http://crl3.digicert.com/a.crl", cell);
        Assert.Contains("http://ocsp.digicert.com", cell);
    }

    [Fact]
    public void Render_UninspectedTls_HasNoInspectionWarning()
    {
        var cut = Render<EvidencePanel>(p => p.Add(c => c.Details, Details(inspected: false)));

        Assert.Empty(cut.FindAll("[data-testid=tls-inspected]"));
        Assert.NotNull(cut.Find("[data-testid=tls-not-inspected]"));
    }

    [Fact]
    public void Render_DnsProxyNtp_ShowsAnswersChainServerViaAndOffset()
    {
        var cut = Render<EvidencePanel>(p => p.Add(c => c.Details, Details(inspected: false)));

        Assert.Contains("mcr.microsoft.com → mcr.trafficmanager.net", cut.Find("[data-testid=evidence-dns]").TextContent);
        Assert.Contains("127.0.0.10", cut.Find("[data-testid=evidence-dns]").TextContent);
        Assert.Contains("squid/6.6", cut.Find("[data-testid=evidence-proxy]").TextContent);
        Assert.Contains("1.1 proxy (squid)", cut.Find("[data-testid=evidence-proxy]").TextContent);
        Assert.Contains("stratum 3", cut.Find("[data-testid=evidence-ntp]").TextContent);
    }

    [Fact]
    public void Render_ProxyCouldNotResolve_ShowsProxyWordsAndOurDnsAnswer()
    {
        var details = new ProbeDetails
        {
            Proxy = new ProxyDetails
            {
                Proxy = "http://127.0.0.1:3128", StatusCode = 500, StatusLine = "HTTP/1.1 500 Internal Server Error", Server = "squid/5.7",
                ErrorHeader = "X-Squid-Error: ERR_CANNOT_FORWARD 0", BodyExcerpt = "ERROR The requested URL could not be retrieved",
                DnsCheck = new DnsDetails { Server = "127.0.0.53:53", ResponseCode = "NXDOMAIN" },
            },
        };

        var cut = Render<EvidencePanel>(p => p.Add(c => c.Details, details).Add(c => c.Phase, Phase.Dns).Add(c => c.Reason, ReasonCode.ProxyDnsNxDomain));

        Assert.Equal("X-Squid-Error: ERR_CANNOT_FORWARD 0", cut.Find("[data-testid=evidence-proxy-error-header]").TextContent);
        Assert.Contains("could not be retrieved", cut.Find("[data-testid=evidence-proxy-body]").TextContent);
        Assert.Equal("127.0.0.53:53: NXDOMAIN", cut.Find("[data-testid=evidence-proxy-dns-check]").TextContent.Trim());
    }

    [Fact]
    public void Render_ProxyPassed_HasNoErrorRows()
    {
        var cut = Render<EvidencePanel>(p => p.Add(c => c.Details, Details(inspected: false)));

        Assert.Empty(cut.FindAll("[data-testid=evidence-proxy-error-header]"));
        Assert.Empty(cut.FindAll("[data-testid=evidence-proxy-dns-check]"));
    }

    [Fact]
    public void Render_GatewayInspected_ShowsTheGatewayLegWithTheInspector()
    {
        var details = new ProbeDetails
        {
            Gateway = new GatewayDetails
            {
                Gateway = "https://contoso.gw.arc.azure.com:443",
                Tls = new TlsDetails { Protocol = "Tls13", Inspected = true, InterceptingIssuer = "CN=Contoso Inspection CA", Chain = [new CertificateSummary { Subject = "CN=contoso.gw.arc.azure.com", Issuer = "CN=Contoso Inspection CA", Sha256 = new string('c', 64) }] },
            },
        };

        var cut = Render<EvidencePanel>(p => p.Add(c => c.Details, details).Add(c => c.Phase, Phase.Proxy).Add(c => c.Reason, ReasonCode.GatewayInspected));

        Assert.Contains("https://contoso.gw.arc.azure.com:443", cut.Find("[data-testid=evidence-gateway]").TextContent);
        Assert.Equal("inspected: signed by CN=Contoso Inspection CA", cut.Find("[data-testid=evidence-gateway-tls]").TextContent.Trim());
        Assert.Contains("not asked", cut.Find("[data-testid=evidence-gateway]").TextContent);
    }

    [Fact]
    public void Render_Http2PostAndWebSocketFailed_ShowsWhatEachGot()
    {
        var details = Details(inspected: false) with
        {
            Http = new HttpDetails
            {
                StatusCode = 401, Version = "HTTP/2.0", Http2PostError = "no answer to a 4 KB HTTP/2 POST within 2 s",
                WebSocketStatus = 200, WebSocketError = "answered \"HTTP/1.1 200 OK\" without an Upgrade header, Server: nginx",
            },
        };

        var cut = Render<EvidencePanel>(p => p.Add(c => c.Details, details).Add(c => c.Phase, Phase.Http).Add(c => c.Reason, ReasonCode.Http2PostStalled));

        Assert.Contains("no answer to a 4 KB HTTP/2 POST within 2 s", cut.Find("[data-testid=evidence-http2-post]").TextContent);
        Assert.Contains("without an Upgrade header, Server: nginx", cut.Find("[data-testid=evidence-websocket]").TextContent);
    }

    [Fact]
    public void Render_Http2PostAnswered_ShowsItsStatusAndNoWebSocketRow()
    {
        var details = Details(inspected: false) with { Http = new HttpDetails { StatusCode = 401, Version = "HTTP/2.0", Http2PostStatus = 401 } };

        var cut = Render<EvidencePanel>(p => p.Add(c => c.Details, details));

        Assert.Contains("answered 401", cut.Find("[data-testid=evidence-http2-post]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=evidence-websocket]"));
    }
}
