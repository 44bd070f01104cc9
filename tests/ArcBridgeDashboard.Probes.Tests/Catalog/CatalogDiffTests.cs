using ArcBridgeDashboard.Probes.Catalog;
using ArcBridgeDashboard.Probes.Tests.Fixtures;

namespace ArcBridgeDashboard.Probes.Tests.Catalog;

public sealed class CatalogDiffTests
{
    private static readonly string Seed = FixtureFiles.Read(FixtureFiles.SeedAllowlist);

    [Fact]
    public void Compute_SeedAgainstEditedCopy_ReportsAddedRemovedAndChangedFields()
    {
        var edited = Seed
            .Replace("ms.date: 03/19/2024", "ms.date: 05/22/2024", StringComparison.Ordinal)
            // removed
            .Replace("|Custom Locations| 443 | `sts.windows.net`| Appliance VM IPs need outbound connection. | Required for use by the Custom Locations cluster extension.|\n", "", StringComparison.Ordinal)
            // changed: sources and purpose
            .Replace("|ADHS telemetry service | 443 | `adhs.events.data.microsoft.com`| Appliance VM IPs need outbound connection. | Periodically sends Microsoft required diagnostic data from appliance VM. |",
                     "|ADHS telemetry service | 443 | `adhs.events.data.microsoft.com`| Management machine & Appliance VM IPs need outbound connection. | Sends diagnostic data. |", StringComparison.Ordinal)
            // added: a second URL in the MCR cell
            .Replace("`https://mcr.microsoft.com`", "`https://mcr.microsoft.com`, `*.data.mcr.microsoft.com`", StringComparison.Ordinal);
        var before = AllowlistImporter.Import(Seed);
        var after = AllowlistImporter.Import(edited);
        Assert.True(after.Success, string.Join("\n", after.Errors));

        var diff = CatalogDiff.Compute(before.Endpoints, after.Endpoints);

        Assert.Equal("2024-05-22", after.Version);
        Assert.Equal("*.data.mcr.microsoft.com:443/tcp", Assert.Single(diff.Added).Key);
        Assert.Equal("sts.windows.net:443/tcp", Assert.Single(diff.Removed).Key);
        var changed = Assert.Single(diff.Changed);
        Assert.Equal("adhs.events.data.microsoft.com:443/tcp", changed.After.Key);
        Assert.Equal(["Sources", "Purpose"], changed.Fields);
    }

    [Fact]
    public void Compute_SameDocument_IsEmpty()
    {
        var endpoints = AllowlistImporter.Import(Seed).Endpoints;

        Assert.True(CatalogDiff.Compute(endpoints, endpoints).IsEmpty);
    }
}
