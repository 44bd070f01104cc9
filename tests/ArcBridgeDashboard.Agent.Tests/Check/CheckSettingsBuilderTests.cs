using System.Net;
using ArcBridgeDashboard.Agent.Check;
using ArcBridgeDashboard.Probes.Contracts;

namespace ArcBridgeDashboard.Agent.Tests.Check;

public sealed class CheckSettingsBuilderTests
{
    [Fact]
    public void Build_ProxyWithUserInfo_MovesCredentialsOutOfTheUrl()
    {
        var plan = CheckSettingsBuilder.Build(new CheckOptions { Proxy = "http://svc%40corp:p%3Ass@127.0.0.1:3128" });

        Assert.Equal(new Uri("http://127.0.0.1:3128/"), plan.Settings.Proxy);
        Assert.Equal(("svc@corp", "p:ss"), (plan.Settings.ProxyUser, plan.Settings.ProxyPassword));
    }

    [Fact]
    public void Build_ExplicitProxyUser_WinsOverUrlUserInfo()
    {
        var plan = CheckSettingsBuilder.Build(new CheckOptions { Proxy = "http://a:b@127.0.0.1:3128", ProxyUser = "c", ProxyPassword = "d" });

        Assert.Equal(("c", "d"), (plan.Settings.ProxyUser, plan.Settings.ProxyPassword));
    }

    [Fact]
    public void Build_Defaults_AreBothRolesEastusTableFiveSecondsAndTheShippedCatalog()
    {
        var plan = CheckSettingsBuilder.Build(new CheckOptions());

        Assert.Equal(Sources.ManagementMachine | Sources.ApplianceVm, plan.Role);
        Assert.Equal("eastus", plan.Settings.Region);
        Assert.Equal(ReportFormat.Table, plan.Format);
        Assert.Equal(TimeSpan.FromSeconds(5), plan.Settings.PhaseTimeout);
        Assert.Equal("2026-08-25", plan.Catalog.Version);
        Assert.Null(plan.Settings.ExpectedRoots);
        Assert.Equal(Cloud.AzureCloud, plan.Settings.Cloud);
        Assert.Null(plan.Settings.PrivateCloudAddress);
    }

    [Theory]
    [InlineData("AzureGovernment", Cloud.AzureGovernment)]
    [InlineData("Azure Government", Cloud.AzureGovernment)]
    [InlineData("azurecloud", Cloud.AzureCloud)]
    public void Build_Cloud_IsParsedByAnyOfItsNames(string text, Cloud expected)
        => Assert.Equal(expected, CheckSettingsBuilder.Build(new CheckOptions { Cloud = text }).Settings.Cloud);


    [Fact]
    public void Build_Gateway_HttpsUrlIsKeptAndAnythingElseIsAUsageError()
    {
        Assert.Null(CheckSettingsBuilder.Build(new CheckOptions()).Settings.Gateway);
        Assert.Equal(new Uri("https://contoso.gw.arc.azure.com"), CheckSettingsBuilder.Build(new CheckOptions { Gateway = "https://contoso.gw.arc.azure.com" }).Settings.Gateway);
        var error = Assert.Throws<UsageException>(() => CheckSettingsBuilder.Build(new CheckOptions { Gateway = "contoso.gw.arc.azure.com" }));
        Assert.StartsWith("--gateway: 'contoso.gw.arc.azure.com' is not an https:// URL", error.Message);
    }
    [Theory]
    [InlineData("VCenter.Corp.Example", "vcenter.corp.example")]
    [InlineData(" 10.0.0.10 ", "10.0.0.10")]
    [InlineData("fd00::10", "fd00::10")]
    public void Build_PrivateCloudAddress_HostNameOrIp(string text, string expected)
        => Assert.Equal(expected, CheckSettingsBuilder.Build(new CheckOptions { PrivateCloudAddress = text }).Settings.PrivateCloudAddress);

    [Fact]
    public void Build_ListsAndIps_AreParsed()
    {
        var plan = CheckSettingsBuilder.Build(new CheckOptions
        {
            Role = "appliancevm",
            Region = "WestEurope",
            DnsServers = ["127.0.0.53", "[::1]:5353"],
            NoProxy = "localhost, .corp.example ,10.0.0.0/8",
            Wildcards = ["*.blob.core.windows.net=a.blob.core.windows.net", "*.his.arc.azure.com=gbl.his.arc.azure.com,weu.his.arc.azure.com"],
            ApplianceVmIps = ["10.1.0.10"],
            ControlPlaneIp = "10.1.0.9",
            Timeout = "2.5",
            Format = "JSON",
        });

        Assert.Equal(Sources.ApplianceVm, plan.Role);
        Assert.Equal("westeurope", plan.Settings.Region);
        Assert.Equal([IPEndPoint.Parse("127.0.0.53:53"), IPEndPoint.Parse("[::1]:5353")], plan.Settings.DnsServers);
        Assert.Equal(["localhost", ".corp.example", "10.0.0.0/8"], plan.Settings.NoProxy);
        Assert.Equal("gbl.his.arc.azure.com,weu.his.arc.azure.com", plan.Settings.WildcardOverrides["*.his.arc.azure.com"]);
        Assert.Equal(["10.1.0.10"], plan.Settings.ApplianceVmIps);
        Assert.Equal("10.1.0.9", plan.Settings.ControlPlaneIp);
        Assert.Equal(TimeSpan.FromSeconds(2.5), plan.Settings.PhaseTimeout);
        Assert.Equal(ReportFormat.Json, plan.Format);
    }

    [Fact]
    public void Build_BlobRegistryOff_DisablesDiscovery()
    {
        Assert.Null(CheckSettingsBuilder.Build(new CheckOptions { BlobRegistry = "off" }).BlobRegistry);
    }
}
