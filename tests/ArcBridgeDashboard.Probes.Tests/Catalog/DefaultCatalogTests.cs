using ArcBridgeDashboard.Probes.Catalog;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Probes.Tests.Fixtures;

namespace ArcBridgeDashboard.Probes.Tests.Catalog;

public sealed class DefaultCatalogTests
{
    [Fact]
    public void ReadEmbeddedMarkdown_IsTheSeedByteForByte()
    {
        Assert.Equal(FixtureFiles.Read(FixtureFiles.SeedAllowlist), DefaultCatalog.ReadEmbeddedMarkdown());
    }

    [Fact]
    public void Load_Default_HasSeedVersionAllowlistAndMarkedExtras()
    {
        var catalog = DefaultCatalog.Load();

        Assert.Equal("2024-03-19", catalog.Version);
        Assert.Equal(21, catalog.Endpoints.Count(e => e.Origin == EndpointOrigin.Allowlist));
        var extras = catalog.Endpoints.Where(e => e.Origin == EndpointOrigin.ExtraRequirement).ToList();
        string[] expected = ["<appliance-vm-ips>:22/tcp", "<appliance-vm-ips>:6443/tcp", "<control-plane-ip>:22/tcp", "<control-plane-ip>:6443/tcp", "<dns-servers>:53/tcp", "<dns-servers>:53/udp"];
        Assert.Equal(expected, extras.Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.All(extras, e => Assert.False(string.IsNullOrWhiteSpace(e.Note)));
        Assert.All(extras.Where(e => e.Port is 22 or 6443), e =>
        {
            Assert.True(e.BypassProxy);
            Assert.Equal(Sources.ManagementMachine, e.Sources);
        });
    }
}
