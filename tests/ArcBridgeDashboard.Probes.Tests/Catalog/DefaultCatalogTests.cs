using ArcBridgeDashboard.Probes.Catalog;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Probes.Tests.Fixtures;

namespace ArcBridgeDashboard.Probes.Tests.Catalog;

public sealed class DefaultCatalogTests
{
    [Fact]
    public void ReadEmbeddedMarkdown_IsTheCurrentPublishedVersionByteForByte()
    {
        Assert.Equal(File.ReadAllBytes(FixtureFiles.PathOf(PublishedAllowlists.Current)), System.Text.Encoding.UTF8.GetBytes(DefaultCatalog.ReadEmbeddedMarkdown()));
    }

    [Fact]
    public void Load_Default_IsTheCurrentVersionWithNothingMissingFromTheDocument()
    {
        var catalog = DefaultCatalog.Load();

        Assert.Equal("2026-08-25", catalog.Version);
        // The current document lists DNS and the direct paths itself; only the revocation servers (port 80), which no
        // version of the table lists, are added: the default ones and the place for those learned from chains.
        var extras = catalog.Endpoints.Where(e => e.Origin == EndpointOrigin.ExtraRequirement).ToList();
        Assert.Equal(2, extras.Select(e => e.Cloud).Distinct().Count());
        Assert.Equal(["<certificate-chains>:80/tcp", "crl3.digicert.com:80/tcp", "crl4.digicert.com:80/tcp", "ocsp.digicert.com:80/tcp", "oneocsp.microsoft.com:80/tcp", "www.microsoft.com:80/tcp"],
            extras.Where(e => e.Cloud == Cloud.AzureCloud).Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.All(extras, e => Assert.Contains("revocation", e.Note, StringComparison.OrdinalIgnoreCase));
        Assert.Contains(catalog.Endpoints, e => e.Key == "management.azure.com:443/tcp");
    }

    [Fact]
    public void FromImport_SeedVersion_AddsTheExtraRequirementsTheDocumentLacks()
    {
        var catalog = DefaultCatalog.FromImport(AllowlistImporter.Import(FixtureFiles.Read(FixtureFiles.SeedAllowlist)), "fallback");

        Assert.Equal("2024-03-19", catalog.Version);
        Assert.Equal(21, catalog.Endpoints.Count(e => e.Origin == EndpointOrigin.Allowlist));
        var extras = catalog.Endpoints.Where(e => e.Origin == EndpointOrigin.ExtraRequirement).ToList();
        string[] expected = ["<appliance-vm-ips>:22/tcp", "<appliance-vm-ips>:6443/tcp", "<control-plane-ip>:22/tcp", "<control-plane-ip>:6443/tcp", "<dns-servers>:53/tcp", "<dns-servers>:53/udp"];
        Assert.Equal(expected, extras.Where(e => e.Port != 80).Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.Equal(6, extras.Count(e => e.Port == 80));
        Assert.All(extras, e => Assert.False(string.IsNullOrWhiteSpace(e.Note)));
        Assert.All(extras.Where(e => e.Port is 22 or 6443), e =>
        {
            Assert.True(e.BypassProxy);
            Assert.Equal(Sources.ManagementMachine, e.Sources);
        });
    }
}
