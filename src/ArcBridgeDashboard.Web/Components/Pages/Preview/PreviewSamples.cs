using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Components.Pages.Allowlist;
using ArcBridgeDashboard.Web.Components.Pages.Endpoints;
using ArcBridgeDashboard.Web.Components.Pages.Overview;
using ArcBridgeDashboard.Web.Components.Pages.Sweeps;
using ArcBridgeDashboard.Web.Components.Shared;

namespace ArcBridgeDashboard.Web.Components.Pages.Preview;

// TEMPORARY design preview data (dev only) until the data layer's queries land; deleted afterwards.
internal static class PreviewSamples
{
    private const string Mm = nameof(Sources.ManagementMachine);
    private const string Vm = nameof(Sources.ApplianceVm);
    private static readonly DateTimeOffset Now = DateTimeOffset.Now;

    public static OverviewSnapshot Overview()
    {
        StatusCell Pass() => new(DisplayStatus.Pass, CheckedAt: Now.AddMinutes(-2));
        var rows = new List<MatrixRow>
        {
            Row(1, "mcr.microsoft.com:443/tcp", "Microsoft container registry", "mcr.microsoft.com", (Mm, Pass()), (Vm, Pass())),
            Row(2, "eastus.data.mcr.microsoft.com:443/tcp", "Microsoft container registry", "eastus.data.mcr.microsoft.com", (Mm, Pass()),
                (Vm, new StatusCell(DisplayStatus.Fail, Phase.Tls, ReasonCode.TlsInspected, "Chain ends in CN=Contoso Inspection CA", Now.AddMinutes(-2)))),
            Row(3, "login.microsoftonline.com:443/tcp", "Azure Active Directory", "login.microsoftonline.com", (Mm, Pass()),
                (Vm, new StatusCell(DisplayStatus.Fail, Phase.Proxy, ReasonCode.ProxyDenied, "Proxy answered 403 Forbidden", Now.AddMinutes(-2)))),
            Row(4, "management.azure.com:443/tcp", "Azure Resource Manager", "management.azure.com", (Mm, new StatusCell(DisplayStatus.Stale, Message: "Last result 40 min ago", CheckedAt: Now.AddMinutes(-40))), (Vm, Pass())),
            Row(5, "time.windows.com:123/udp", "Time", "time.windows.com", (Mm, new StatusCell(DisplayStatus.Warn, Phase.Ntp, ReasonCode.NtpSkewHigh, "Offset 74 s", Now.AddMinutes(-2)))),
            Row(6, "*.his.arc.azure.com:443/tcp", "Arc agents", "*.his.arc.azure.com", (Vm, new StatusCell(DisplayStatus.NeedsHostname, Reason: ReasonCode.NeedsHostname, Message: "Wildcard needs an override"))),
            Row(7, "pypi.org:443/tcp", "Azure CLI extensions", "pypi.org", (Mm, Pass()), (Vm, new StatusCell(DisplayStatus.Gap, Message: "No agent runs as Appliance VM"))),
            Row(8, "graph.microsoft.com:443/tcp", "Azure Active Directory", "graph.microsoft.com", (Mm, Pass()), (Vm, new StatusCell(DisplayStatus.NoData))),
        };
        return new OverviewSnapshot(rows, [Mm, Vm], Now.AddMinutes(-2));
    }

    public static SweepChanges Changes() => new(
        [new("login.microsoftonline.com:443/tcp", "Azure Active Directory", Vm, ReasonCode.ProxyDenied, 3)],
        [new("mcr.microsoft.com:443/tcp", "Microsoft container registry", Vm, null, 1)],
        [new("eastus.data.mcr.microsoft.com:443/tcp", "Microsoft container registry", Vm, ReasonCode.TlsInspected, 2)]);

    private static MatrixRow Row(int id, string key, string service, string host, params (string, StatusCell)[] cells) =>
        new(key, service, host, int.Parse(key.Split(':')[1].Split('/')[0]), key.EndsWith("udp") ? TransportProtocol.Udp : TransportProtocol.Tcp,
            cells.ToDictionary(c => c.Item1, c => c.Item2), id);

    public static EndpointDetailModel Endpoint()
    {
        var details = new ProbeDetails
        {
            Dns = new DnsDetails { Server = "10.0.0.53", ResponseCode = "NoError", Addresses = ["20.49.104.10"], CnameChain = ["eastus.data.mcr.microsoft.com", "mcr-eastus.trafficmanager.net"] },
            ConnectedAddress = "10.0.0.8:3128",
            Proxy = new ProxyDetails { Proxy = "http://proxy.contoso.local:3128", StatusCode = 200, StatusLine = "HTTP/1.1 200 Connection established", Server = "squid/6.6", Via = "1.1 proxy01 (squid/6.6)" },
            Tls = new TlsDetails
            {
                Protocol = "Tls13", Cipher = "TLS_AES_256_GCM_SHA384", Alpn = "h2", Inspected = true, InterceptingIssuer = "CN=Contoso Inspection CA, O=Contoso",
                Chain =
                [
                    new CertificateSummary { Subject = "CN=*.data.mcr.microsoft.com", Issuer = "CN=Contoso Inspection CA, O=Contoso", NotBefore = Now.AddDays(-3), NotAfter = Now.AddDays(27), Sha256 = "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08" },
                    new CertificateSummary { Subject = "CN=Contoso Inspection CA, O=Contoso", Issuer = "CN=Contoso Inspection CA, O=Contoso", NotBefore = Now.AddYears(-2), NotAfter = Now.AddYears(8), Sha256 = "60303AE22B998861BCE3B28F33EEC1BE758A213C86C93C076DBE9F558C11C752" },
                ],
            },
        };
        var rnd = new Random(7);
        var latency = Enumerable.Range(0, 48).Select(i => new LatencyPoint(Now.AddMinutes(-5 * (47 - i)), 80 + rnd.Next(0, 60) + (i > 40 ? 200 : 0))).ToList();
        var timings = new Dictionary<string, double> { ["dns"] = 12, ["tcp"] = 4, ["proxy"] = 38, ["tls"] = 110, ["total"] = 164 };
        var failure = new ResultSummary("dashboard (built-in)", Now.AddMinutes(-2), Verdict.Fail, Phase.Tls, ReasonCode.TlsInspected,
            "The TLS chain ends in CN=Contoso Inspection CA, not a Microsoft public root.",
            "Exclude *.data.mcr.microsoft.com from TLS inspection on the proxy.", timings, details);
        return new EndpointDetailModel(2, "eastus.data.mcr.microsoft.com:443/tcp", "Microsoft container registry", "eastus.data.mcr.microsoft.com",
            "*.data.mcr.microsoft.com", 443, TransportProtocol.Tcp, "Download container images", "region eastus",
            [
                new("dashboard (built-in)", Mm, new StatusCell(DisplayStatus.Pass, CheckedAt: Now.AddMinutes(-2))),
                new("arc-vm-01", Vm, new StatusCell(DisplayStatus.Fail, Phase.Tls, ReasonCode.TlsInspected, failure.Message, Now.AddMinutes(-2))),
            ],
            failure, failure, latency,
            [new("24 h", 93.1, 288), new("7 d", 99.2, 2016), new("30 d", 99.81, 8640)],
            [
                new(Now.AddHours(-30), DisplayStatus.NoData, DisplayStatus.Pass, Vm),
                new(Now.AddHours(-3), DisplayStatus.Pass, DisplayStatus.Fail, Vm, Phase.Tls, ReasonCode.TlsInspected, "Inspected"),
            ]);
    }

    public static Task<RawResultPage> Raw(int page, int size, CancellationToken _)
    {
        var all = Enumerable.Range(0, 137).Select(i => new RawResultRow(Now.AddMinutes(-5 * i), i % 2 == 0 ? "dashboard (built-in)" : "arc-vm-01",
            i % 7 == 1 ? Verdict.Fail : Verdict.Pass, i % 7 == 1 ? Phase.Tls : Phase.None, i % 7 == 1 ? ReasonCode.TlsInspected : ReasonCode.Ok,
            120 + i % 30, i % 7 == 1 ? "Inspected by Contoso" : "OK")).ToList();
        return Task.FromResult(new RawResultPage(all.Skip(page * size).Take(size).ToList(), all.Count));
    }

    public static IReadOnlyList<SweepRow> Sweeps() => Enumerable.Range(0, 12)
        .Select(i => new SweepRow(100 - i, i % 4 == 0 ? "Manual" : "Schedule", "dashboard (built-in)", Now.AddMinutes(-5 * i), TimeSpan.FromSeconds(3.2 + i % 3), 20 - i % 3, i % 2, 2 + i % 3))
        .ToList();

    public static IReadOnlyList<SweepResultRow> SweepResults() =>
    [
        new(1, "mcr.microsoft.com:443/tcp", "Microsoft container registry", Verdict.Pass, Phase.None, ReasonCode.Ok, 120, "OK"),
        new(2, "eastus.data.mcr.microsoft.com:443/tcp", "Microsoft container registry", Verdict.Fail, Phase.Tls, ReasonCode.TlsInspected, 164, "Chain ends in Contoso Inspection CA"),
        new(3, "login.microsoftonline.com:443/tcp", "Azure Active Directory", Verdict.Fail, Phase.Proxy, ReasonCode.ProxyDenied, 40, "Proxy answered 403"),
    ];

    public static IReadOnlyList<CatalogRow> Catalog() =>
    [
        new("Microsoft container registry", 443, TransportProtocol.Tcp, "mcr.microsoft.com", "mcr.microsoft.com", "as published", Sources.ManagementMachine | Sources.ApplianceVm, "Download container images", TargetId: 1),
        new("Microsoft container registry", 443, TransportProtocol.Tcp, "*.data.mcr.microsoft.com", "eastus.data.mcr.microsoft.com", "region eastus", Sources.ManagementMachine | Sources.ApplianceVm, "Image layers", TargetId: 2),
        new("Arc agents", 443, TransportProtocol.Tcp, "*.his.arc.azure.com", null, null, Sources.ApplianceVm, "Hybrid identity service"),
        new("Time", 123, TransportProtocol.Udp, "time.windows.com", "time.windows.com", "as published", Sources.ManagementMachine, "NTP", EndpointOrigin.ExtraRequirement, 5),
    ];

    public static Task<ImportPreviewModel> PreviewImport(string markdown) => Task.FromResult(markdown.Contains("bad")
        ? new ImportPreviewModel([new ImportLineError(12, 7, "Port 'https' is not a number")], [], [], [])
        : new ImportPreviewModel([], [new("new.azure.com:443/tcp", "New service", "")], [new("old.azure.com:443/tcp", "Old service", "")],
            [new("mcr.microsoft.com:443/tcp", "Microsoft container registry", "purpose changed")]));
}
