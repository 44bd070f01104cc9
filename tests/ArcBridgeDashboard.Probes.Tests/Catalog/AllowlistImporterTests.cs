using ArcBridgeDashboard.Probes.Catalog;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Probes.Tests.Fixtures;

namespace ArcBridgeDashboard.Probes.Tests.Catalog;

public sealed class AllowlistImporterTests
{
    private static readonly string Seed = FixtureFiles.Read(FixtureFiles.SeedAllowlist);

    private static CatalogEndpoint Endpoint(ImportResult result, string host) => Assert.Single(result.Endpoints, e => e.HostPattern == host);

    [Fact]
    public void Import_SeedDocument_YieldsOneEndpointPerUrl()
    {
        var result = AllowlistImporter.Import(Seed);

        Assert.True(result.Success, string.Join("\n", result.Errors));
        Assert.Equal(21, result.Endpoints.Count);
        Assert.Equal("2024-03-19", result.Version);
        Assert.All(result.Endpoints, e => Assert.Equal(EndpointOrigin.Allowlist, e.Origin));
    }

    [Fact]
    public void Import_SeedNtpRow_IsUdp123FromBothSources()
    {
        var ntp = Endpoint(AllowlistImporter.Import(Seed), "time.windows.com");

        Assert.Equal("Windows NTP Server", ntp.Service);
        Assert.Equal(123, ntp.Port);
        Assert.Equal(TransportProtocol.Udp, ntp.Protocol);
        Assert.Equal(Sources.ManagementMachine | Sources.ApplianceVm, ntp.Sources);
        Assert.Equal("OS time sync in appliance VM & Management machine (Windows NTP).", ntp.Purpose);
    }

    [Fact]
    public void Import_SeedMultiUrlCell_SplitsAndStripsHttpsPrefix()
    {
        var result = AllowlistImporter.Import(Seed);

        var blob = Endpoint(result, "*.blob.core.windows.net");
        var ecpacr = Endpoint(result, "ecpacr.azurecr.io");
        Assert.Equal("Resource bridge (appliance) container image download", blob.Service);
        Assert.Equal(blob.Service, ecpacr.Service);
        Assert.Equal(Sources.ApplianceVm, ecpacr.Sources);
        Assert.Equal(443, ecpacr.Port);
        Assert.Equal(TransportProtocol.Tcp, ecpacr.Protocol);
        Assert.Equal(Sources.ManagementMachine, Endpoint(result, "pypi.org").Sources);
        Assert.Equal(Sources.ManagementMachine, Endpoint(result, "*.pypi.org").Sources);
    }

    [Fact]
    public void Import_SeedRowsWithQuirks_AreCleaned()
    {
        var result = AllowlistImporter.Import(Seed);

        // "https://*.dp..." with "Appliance VMs IP need ..."
        var dp = Endpoint(result, "*.dp.prod.appliances.azure.com");
        Assert.Equal(Sources.ApplianceVm, dp.Sources);
        Assert.True(dp.IsWildcard);
        // Mis-encoded narrow no-break space ("â€¯") after the Direction sentence.
        var azCli = Endpoint(result, "*.pythonhosted.org");
        Assert.Equal(Sources.ManagementMachine, azCli.Sources);
        Assert.Equal("Azure CLI", azCli.Service);
        // Tabs around the cell boundary.
        var gcs = Endpoint(result, "gcs.prod.monitoring.core.windows.net");
        Assert.Equal(Sources.ApplianceVm, gcs.Sources);
        Assert.Equal("Diagnostic data", gcs.Service);
        // Both sources, from "Management machine & Appliance VM IPs".
        var mcr = Endpoint(result, "mcr.microsoft.com");
        Assert.Equal(Sources.ManagementMachine | Sources.ApplianceVm, mcr.Sources);
        Assert.Equal("Download container images for Arc Resource Bridge.", mcr.Purpose);
        Assert.DoesNotContain(result.Endpoints, e => e.Purpose.Contains('â') || e.Service.Contains('*') || e.HostPattern.Contains('`'));
    }

    [Fact]
    public void Import_MissingPortColumn_WarnsAtHeaderAndRefusesOnlyBecauseNothingIsLeft()
    {
        var broken = Seed.Replace("|**Service**|**Port**|**URL**|**Direction**|**Notes**|", "|**Service**|**Where**|**URL**|**Direction**|**Notes**|", StringComparison.Ordinal);

        var result = AllowlistImporter.Import(broken);

        // Without a Port column the hosts still count (443 from HTTPS): nothing refused.
        Assert.True(result.Success);
        Assert.Equal(21, result.Endpoints.Count);
        Assert.All(result.Endpoints, e => Assert.Equal(443, e.Port));
    }

    [Fact]
    public void Import_NonNumericPort_WarnsNamingLineAndColumnAndKeepsTheOtherRows()
    {
        var broken = Seed.Replace("|Managed Identity| 443 |", "|Managed Identity| https |", StringComparison.Ordinal);

        var result = AllowlistImporter.Import(broken);

        Assert.True(result.Success);
        Assert.Equal(20, result.Endpoints.Count);
        Assert.DoesNotContain(result.Endpoints, e => e.HostPattern == "*.his.arc.azure.com");
        var warning = Assert.Single(result.Warnings);
        Assert.Equal("line 17, column 19: port 'https' is not a number from 1 to 65535: the row was not imported", warning.ToString());
    }

    [Fact]
    public void Import_UnknownDirection_WarnsAndKeepsTheOtherRows()
    {
        var broken = Seed.Replace("`sts.windows.net`| Appliance VM IPs need outbound connection.", "`sts.windows.net`| Somebody needs outbound connection.", StringComparison.Ordinal);

        var result = AllowlistImporter.Import(broken);

        Assert.Equal(20, result.Endpoints.Count);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal(27, warning.Line);
        Assert.Contains("unknown direction 'Somebody needs outbound connection.'", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_RowWithExtraCell_WarnsNamingLineAndColumnOfExtraCell()
    {
        const string markdown = "|Service|Port|URL|Direction|Notes|\n|--|--|--|--|--|\n|A| 443 | `a.example` | Appliance VM IPs need outbound connection. | ok |\n|B| 443 | `b.example` | Appliance VM IPs | x | extra |\n";

        var result = AllowlistImporter.Import(markdown);

        Assert.Equal("a.example", Assert.Single(result.Endpoints).HostPattern);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal((4, 47), (warning.Line, warning.Column));
        Assert.Contains("6 cells, the header has 5", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_RowWithTooFewCells_PointsAtEndOfLineAndRefusesWhenNothingIsLeft()
    {
        const string markdown = "|Service|Port|URL|Direction|Notes|\n|--|--|--|--|--|\n|A| 443 | `a.example` |\n";

        var result = AllowlistImporter.Import(markdown);

        Assert.False(result.Success);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal((3, 24), (warning.Line, warning.Column));
        Assert.Contains("not one endpoint", Assert.Single(result.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_NoTable_Rejects()
    {
        var result = AllowlistImporter.Import("---\nms.date: 01/01/2025\n---\n# nothing here\n");

        Assert.False(result.Success);
        Assert.Contains("no markdown table", Assert.Single(result.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_TableThatIsNoAllowlist_Rejects()
    {
        var result = AllowlistImporter.Import("| Name | Size |\n|--|--|\n| a | 1 |\n");

        Assert.False(result.Success);
        Assert.Contains("not an allowlist", Assert.Single(result.Errors).Message, StringComparison.Ordinal);
        Assert.Empty(result.Endpoints);
    }

    [Fact]
    public void Import_BadHostInUrlCell_WarnsAndKeepsTheHostsItCouldRead()
    {
        var broken = Seed.Replace("`packages.microsoft.com`", "`packages.microsoft.com, soft*.com`", StringComparison.Ordinal)
            .Replace("`sts.windows.net`", "`sts windows net`", StringComparison.Ordinal);

        var result = AllowlistImporter.Import(broken);

        Assert.Contains(result.Endpoints, e => e.HostPattern == "packages.microsoft.com");
        Assert.DoesNotContain(result.Endpoints, e => e.HostPattern.Contains("soft*", StringComparison.Ordinal));
        Assert.Collection(result.Warnings,
            w => Assert.Equal("line 26, column 47: 'soft*.com' is not a host name or wildcard pattern; packages.microsoft.com were imported", w.ToString()),
            w => Assert.Equal("line 27, column 25: 'sts windows net' is not a host name or wildcard pattern: the row was not imported", w.ToString()));
    }

    [Fact]
    public void Import_SeedWithCrlfAndBom_GivesSameEndpoints()
    {
        var windows = "\uFEFF" + Seed.ReplaceLineEndings("\r\n");

        var result = AllowlistImporter.Import(windows);

        Assert.True(result.Success);
        Assert.Equal(AllowlistImporter.Import(Seed).Endpoints, result.Endpoints);
    }
}
