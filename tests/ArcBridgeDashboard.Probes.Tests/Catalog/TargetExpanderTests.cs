using System.Net;
using ArcBridgeDashboard.Probes.Catalog;
using ArcBridgeDashboard.Probes.Contracts;

namespace ArcBridgeDashboard.Probes.Tests.Catalog;

public sealed class TargetExpanderTests
{
    private static readonly CatalogSnapshot Catalog = DefaultCatalog.Load();

    private static IReadOnlyList<ProbeTarget> ForPattern(ProbeSettings settings, string pattern)
        => TargetExpander.Expand(Catalog.Endpoints, settings).Where(t => t.HostPattern == pattern).ToList();

    [Theory]
    [InlineData("eastus", "eus")]
    [InlineData("westeurope", "weu")]
    [InlineData("australiaeast", "ae")]
    [InlineData("centralindia", "inc")]
    public void Expand_HisWildcard_GivesGlobalAndRegionalShortCode(string region, string code)
    {
        var targets = ForPattern(new ProbeSettings { Region = region }, "*.his.arc.azure.com");

        Assert.Equal(["gbl.his.arc.azure.com", $"{code}.his.arc.azure.com"], targets.Select(t => t.Host));
        Assert.All(targets, t => Assert.Equal(Sources.ApplianceVm, t.Sources));
    }

    [Fact]
    public void Expand_DataplaneWildcard_UsesRegion()
    {
        var target = Assert.Single(ForPattern(new ProbeSettings { Region = "WestEurope" }, "*.dp.prod.appliances.azure.com"));

        Assert.Equal("westeurope.dp.prod.appliances.azure.com", target.Host);
        Assert.Equal(ProbeKind.Https, target.Kind);
        Assert.Equal("*.dp.prod.appliances.azure.com:443/tcp", target.EndpointKey);
        Assert.Equal("region westeurope", target.ExpansionNote);
    }

    [Fact]
    public void Expand_DataPlanes_GetTheHttp2Post_ServiceBusTheWebSocketUpgrade()
    {
        var targets = TargetExpander.Expand(Catalog.Endpoints, new ProbeSettings { Region = "westus3" });

        var posted = targets.Where(t => t.PostOverHttp2).Select(t => t.Host).Order().ToList();
        Assert.Equal(["westus3.dp.kubernetesconfiguration.azure.com", "westus3.dp.prod.appliances.azure.com"], posted);
        // The service bus keeps its marking while it waits for a host from --wildcard.
        var webSocket = Assert.Single(targets, t => t.WebSocketUpgrade);
        Assert.Equal("*.servicebus.windows.net", webSocket.HostPattern);
        Assert.Null(webSocket.Host);
    }

    [Fact]
    public void Expand_ServiceBusOverride_GetsTheWebSocketUpgrade()
    {
        var settings = new ProbeSettings
        {
            WildcardOverrides = new Dictionary<string, string> { ["*.servicebus.windows.net"] = "contoso-relay.servicebus.windows.net" },
        };

        var target = Assert.Single(ForPattern(settings, "*.servicebus.windows.net"));

        Assert.True(target.WebSocketUpgrade);
        Assert.False(target.PostOverHttp2);
        Assert.Equal("contoso-relay.servicebus.windows.net", target.Host);
    }

    [Fact]
    public void Expand_GovernmentDataPlane_GetsTheHttp2Post()
    {
        var target = Assert.Single(ForPattern(new ProbeSettings { Cloud = Cloud.AzureGovernment, Region = "usgovvirginia" }, "*.dp.kubernetesconfiguration.azure.us"));

        Assert.True(target.PostOverHttp2);
    }

    [Fact]
    public void Expand_UnknownRegion_KeepsGlobalHisAndMarksRegionalAsNeedsHostname()
    {
        var targets = ForPattern(new ProbeSettings { Region = "marsnorth" }, "*.his.arc.azure.com");

        Assert.Equal("gbl.his.arc.azure.com", targets[0].Host);
        Assert.Null(targets[1].Host);
        Assert.StartsWith("needs a hostname", targets[1].ExpansionNote, StringComparison.Ordinal);
    }

    [Fact]
    public void Expand_DefaultCatalogWithoutSettings_NeverDropsAWildcard()
    {
        var targets = TargetExpander.Expand(Catalog.Endpoints, new ProbeSettings());

        Assert.Equal("files.pythonhosted.org", Assert.Single(targets, t => t.HostPattern == "*.pythonhosted.org").Host);
        var blob = Assert.Single(targets, t => t.HostPattern == "*.blob.core.windows.net");
        Assert.Null(blob.Host);
        Assert.Contains("needs a hostname", blob.ExpansionNote, StringComparison.Ordinal);
        Assert.Null(Assert.Single(targets, t => t.HostPattern == "*.pypi.org").Host);
        Assert.All(Catalog.Endpoints.Where(e => e.Cloud == Cloud.AzureCloud && e.HostPattern != ExtraRequirements.CertificateChains),
            e => Assert.Contains(targets, t => t.EndpointKey == e.Key));
        // Revocation servers named by chains are learned during sweeps, never invented from settings.
        Assert.DoesNotContain(targets, t => t.HostPattern == ExtraRequirements.CertificateChains);
        Assert.Equal(ProbeKind.Ntp, Assert.Single(targets, t => t.Host == "time.windows.com").Kind);
    }

    [Fact]
    public void Expand_Overrides_WinOverBuiltInRulesAndAcceptSeveralHosts()
    {
        var settings = new ProbeSettings
        {
            Region = "eastus",
            WildcardOverrides = new Dictionary<string, string>
            {
                ["*.blob.core.windows.net"] = "ecpacr.blob.core.windows.net",
                ["*.HIS.arc.azure.com"] = "gbl.his.arc.azure.com, eus2.his.arc.azure.com",
                ["*.pypi.org"] = "upload.pypi.org",
            },
        };

        var targets = TargetExpander.Expand(Catalog.Endpoints, settings);

        Assert.Equal("ecpacr.blob.core.windows.net", Assert.Single(targets, t => t.HostPattern == "*.blob.core.windows.net").Host);
        Assert.Equal(["gbl.his.arc.azure.com", "eus2.his.arc.azure.com"], targets.Where(t => t.HostPattern == "*.his.arc.azure.com").Select(t => t.Host));
        var pypi = Assert.Single(targets, t => t.HostPattern == "*.pypi.org");
        Assert.Equal(("upload.pypi.org", "override"), (pypi.Host, pypi.ExpansionNote));
    }

    [Fact]
    public void Expand_DiscoveredBlobHost_IsUsedWhenNoOverride()
    {
        var discovered = new Dictionary<string, string> { [BlobEndpointDiscovery.Pattern] = "abc.blob.core.windows.net" };

        var blob = Assert.Single(TargetExpander.Expand(Catalog.Endpoints, new ProbeSettings(), discovered), t => t.HostPattern == "*.blob.core.windows.net");

        Assert.Equal(("abc.blob.core.windows.net", "discovered from registry redirect"), (blob.Host, blob.ExpansionNote));
    }

    [Fact]
    public void Expand_ExtraRequirements_FollowConfiguredServersAndIps()
    {
        var settings = new ProbeSettings
        {
            DnsServers = [IPEndPoint.Parse("127.0.0.53:5353"), IPEndPoint.Parse("10.0.0.2:53")],
            ApplianceVmIps = ["10.0.0.10", "10.0.0.11"],
            ControlPlaneIp = "10.0.0.9",
        };

        var targets = TargetExpander.Expand(Catalog.Endpoints, settings);

        var dnsUdp = targets.Where(t => t.Kind == ProbeKind.Dns && t.Protocol == TransportProtocol.Udp).ToList();
        Assert.Equal([("127.0.0.53", 5353), ("10.0.0.2", 53)], dnsUdp.Select(t => (t.Host!, t.Port)));
        var direct = targets.Where(t => t.Kind == ProbeKind.TcpDirect && t.Host is not null).ToList();
        Assert.All(direct, t => Assert.True(t.BypassProxy));
        // The management machine reaches both appliance VMs and the control plane on 22 and 6443; the appliance VMs
        // reach each other on the upgrade ports.
        Assert.Equal(["10.0.0.10:22", "10.0.0.11:22", "10.0.0.9:22", "10.0.0.10:6443", "10.0.0.11:6443", "10.0.0.9:6443"],
            direct.Where(t => t.Sources.HasFlag(Sources.ManagementMachine)).OrderBy(t => t.Port).ThenBy(t => t.HostPattern, StringComparer.Ordinal).Select(t => $"{t.Host}:{t.Port}"));
        Assert.Equal(12, direct.Count(t => t.Sources.HasFlag(Sources.ApplianceVm)));
        Assert.Contains(direct, t => t is { Host: "10.0.0.11", Port: 10259, Sources: Sources.ApplianceVm });
    }

    [Fact]
    public void Expand_ExtraRequirementsWithoutSettings_AreNeedsHostnameTargets()
    {
        var targets = TargetExpander.Expand(Catalog.Endpoints, new ProbeSettings())
            .Where(t => t.Kind is ProbeKind.Dns or ProbeKind.TcpDirect).ToList();

        // DNS over UDP and TCP, the appliance VMs on 7 ports, the control plane on 2, the private cloud on 443.
        Assert.Equal(12, targets.Count);
        Assert.All(targets, t =>
        {
            Assert.Null(t.Host);
            Assert.StartsWith("needs a hostname", t.ExpansionNote, StringComparison.Ordinal);
        });
    }
}
