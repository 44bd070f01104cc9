using ArcBridgeDashboard.Probes.Catalog;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Probes.Tests.Fixtures;

namespace ArcBridgeDashboard.Probes.Tests.Catalog;

/// <summary>The version Microsoft publishes today: inbound table first, Azure Cloud and Azure Government tabs.</summary>
public sealed class CurrentAllowlistTests
{
    private static readonly ImportResult Current = AllowlistImporter.Import(FixtureFiles.Read(PublishedAllowlists.Current));

    private static CatalogEndpoint Endpoint(string key, Cloud cloud = Cloud.AzureCloud)
        => Assert.Single(Current.Endpoints, e => e.Key == key && e.Cloud == cloud);

    [Fact]
    public void Import_Current_ImportsWithoutWarnings()
    {
        Assert.True(Current.Success, string.Join("\n", Current.Errors));
        Assert.Empty(Current.Warnings);
        Assert.Equal("2026-08-25", Current.Version);
    }

    [Fact]
    public void Import_SameHostOnTwoRows_IsOneEndpointWithBothSourcesAndServices()
    {
        var blob = Endpoint("*.blob.core.windows.net:443/tcp");

        Assert.Equal(Sources.ManagementMachine | Sources.ApplianceVm, blob.Sources);
        Assert.Equal("Resource bridge (appliance) container image download; Azure CLI", blob.Service);
        Assert.Contains("Required to pull container images.", blob.Purpose, StringComparison.Ordinal);
        Assert.Contains("Download Azure CLI Installer.", blob.Purpose, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_InboundTable_GivesDirectChecksOnEveryListedPort()
    {
        var ssh = Endpoint("<appliance-vm-ips>:22/tcp");
        Assert.Equal(Sources.ManagementMachine, ssh.Sources);
        Assert.True(ssh.BypassProxy);
        // Management machine → appliance VMs on 6443, and the appliance VMs to each other on the upgrade ports.
        Assert.Equal(Sources.ManagementMachine | Sources.ApplianceVm, Endpoint("<appliance-vm-ips>:6443/tcp").Sources);
        foreach (var port in new[] { 2379, 2380, 10250, 10257, 10259 })
            Assert.Equal(Sources.ApplianceVm, Endpoint($"<appliance-vm-ips>:{port}/tcp").Sources);
        Assert.Equal(Sources.ManagementMachine, Endpoint("<control-plane-ip>:22/tcp").Sources);
        Assert.Equal(Sources.ManagementMachine, Endpoint("<control-plane-ip>:6443/tcp").Sources);
        Assert.Equal(Sources.ManagementMachine | Sources.ApplianceVm, Endpoint("<private-cloud-address>:443/tcp").Sources);
        Assert.All(Current.Endpoints.Where(e => ExtraRequirements.IsPlaceholder(e.HostPattern) && e.Port != 53), e => Assert.True(e.BypassProxy));
    }

    [Fact]
    public void Import_DnsRow_IsUdpAndTcp53ToTheConfiguredServers()
    {
        Assert.Equal(Sources.ManagementMachine | Sources.ApplianceVm, Endpoint("<dns-servers>:53/udp").Sources);
        Assert.False(Endpoint("<dns-servers>:53/tcp").BypassProxy);
    }

    [Fact]
    public void Import_GovernmentTab_BelongsToAzureGovernmentWithBrRegionAndRemarksUnderstood()
    {
        Assert.Equal("Microsoft Graph", Endpoint("graph.microsoft.us:443/tcp", Cloud.AzureGovernment).Service);
        // "`login.microsoftonline.us` <br> `<region>.login.microsoftonline.us`"
        Endpoint("login.microsoftonline.us:443/tcp", Cloud.AzureGovernment);
        Endpoint("<region>.login.microsoftonline.us:443/tcp", Cloud.AzureGovernment);
        // "`gbl.his.arc.azure.us`, `usgv.his.arc.azure.us` (not region dependent)"
        Endpoint("usgv.his.arc.azure.us:443/tcp", Cloud.AzureGovernment);
        Assert.DoesNotContain(Current.Endpoints, e => e.HostPattern.Contains("region dependent", StringComparison.Ordinal));
        Assert.DoesNotContain(Current.Endpoints, e => e.Cloud == Cloud.AzureCloud && e.HostPattern.EndsWith(".us", StringComparison.Ordinal));
        Assert.Contains("Region example", Endpoint("login.microsoftonline.us:443/tcp", Cloud.AzureGovernment).Purpose, StringComparison.Ordinal);
        Assert.DoesNotContain(Current.Endpoints, e => e.Purpose.Contains("<br>", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Expand_GovernmentCloud_ProbesOnlyGovernmentHostsWithTheRegionFilledIn()
    {
        var catalog = DefaultCatalog.FromImport(Current, "fallback");

        var targets = TargetExpander.Expand(catalog.Endpoints, new ProbeSettings { Cloud = Cloud.AzureGovernment, Region = "usgovvirginia" });

        Assert.Contains(targets, t => t.Host == "usgovvirginia.login.microsoftonline.us");
        Assert.Contains(targets, t => t.Host == "usgovvirginia.dp.prod.appliances.azure.us");
        Assert.Contains(targets, t => t.Host == "management.usgovcloudapi.net");
        Assert.DoesNotContain(targets, t => t.Host == "management.azure.com");
    }

    [Fact]
    public void Expand_AzureCloud_HasTheEndpointsTheOldCatalogMissed()
    {
        var targets = TargetExpander.Expand(DefaultCatalog.FromImport(Current, "fallback").Endpoints, new ProbeSettings { Region = "westeurope" });

        foreach (var host in new[] { "management.azure.com", "login.microsoftonline.com", "graph.microsoft.com", "westeurope.data.mcr.microsoft.com", "westeurope.dp.kubernetesconfiguration.azure.com" })
            Assert.Contains(targets, t => t.Host == host);
        Assert.Contains(targets, t => t is { HostPattern: "*.servicebus.windows.net", Host: null });
        Assert.DoesNotContain(targets, t => t.Host?.EndsWith(".us", StringComparison.Ordinal) == true);
    }
}
