using ArcBridgeDashboard.Probes.Catalog;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Probes.Tests.Fixtures;

namespace ArcBridgeDashboard.Probes.Tests.Catalog;

/// <summary>Every published version of the allowlist imports whole, and consecutive versions diff sensibly.</summary>
public sealed class PublishedVersionsTests
{
    private static readonly Dictionary<string, int> ExpectedWarnings = new() { ["2022-12-06"] = 1 };

    [Theory]
    [MemberData(nameof(PublishedAllowlists.All), MemberType = typeof(PublishedAllowlists))]
    public void Import_PublishedVersion_ImportsEveryRowWithItsDate(string file)
    {
        var markdown = FixtureFiles.Read(file);

        var result = AllowlistImporter.Import(markdown);

        Assert.True(result.Success, string.Join("\n", result.Errors));
        // The 2022 article's "Used by other Arc agents" table has no Direction column: the one thing worth telling.
        Assert.Equal(ExpectedWarnings.GetValueOrDefault(PublishedAllowlists.DateOf(file), 0), result.Warnings.Count);
        Assert.Equal(PublishedAllowlists.DateOf(file), result.Version);
        // Every backticked host of the document is an endpoint (wildcards and schemes as the importer keeps them).
        foreach (var host in BacktickedHosts(markdown))
            Assert.True(result.Endpoints.Any(e => e.HostPattern == host), $"{host} is not imported");
        if (markdown.Contains("time.windows.com", StringComparison.Ordinal))
            Assert.Contains(result.Endpoints, e => e is { HostPattern: "time.windows.com", Port: 123, Protocol: TransportProtocol.Udp });
        Assert.Equal(result.Endpoints.Count, result.Endpoints.DistinctBy(e => e.Identity).Count());
    }

    [Theory]
    [MemberData(nameof(PublishedAllowlists.All), MemberType = typeof(PublishedAllowlists))]
    public void FromImport_PublishedVersion_AzureCloudCheckHasDnsAndDirectPathsAndNoGovernmentHost(string file)
    {
        var catalog = DefaultCatalog.FromImport(AllowlistImporter.Import(FixtureFiles.Read(file)), "fallback");

        var targets = TargetExpander.Expand(catalog.Endpoints, new ProbeSettings { ApplianceVmIps = ["10.0.0.5"], ControlPlaneIp = "10.0.0.9" });

        Assert.Contains(targets, t => t is { Host: "10.0.0.5", Port: 22, Kind: ProbeKind.TcpDirect, BypassProxy: true });
        Assert.Contains(targets, t => t is { Host: "10.0.0.9", Port: 6443, Kind: ProbeKind.TcpDirect });
        Assert.Contains(targets, t => t is { Kind: ProbeKind.Dns, Protocol: TransportProtocol.Udp });
        Assert.DoesNotContain(targets, t => t.Host is { } h && (h.EndsWith(".us", StringComparison.Ordinal) || h.Contains("usgovcloudapi", StringComparison.Ordinal)));
    }

    [Fact]
    public void Diff_ConsecutiveVersions_ListsOnlyRealChanges()
    {
        var versions = PublishedAllowlists.Files
            .Select(f => DefaultCatalog.FromImport(AllowlistImporter.Import(FixtureFiles.Read(f)), "fallback"))
            .ToList();

        for (var i = 1; i < versions.Count; i++)
        {
            var diff = CatalogDiff.Compute(versions[i - 1].Endpoints, versions[i].Endpoints);
            var kept = versions[i].Endpoints.Count - diff.Added.Count;
            // Nothing is both added and removed under the same identity, and what stays is matched by identity.
            Assert.Empty(diff.Added.Select(e => e.Identity).Intersect(diff.Removed.Select(e => e.Identity)));
            Assert.Equal(kept, versions[i - 1].Endpoints.Count - diff.Removed.Count);
        }
        var first = versions[0];
        var current = versions[^1];
        var whole = CatalogDiff.Compute(first.Endpoints, current.Endpoints);
        Assert.Contains(whole.Added, e => e.HostPattern == "graph.microsoft.com");
        Assert.Contains(whole.Added, e => e.HostPattern == "*.data.mcr.microsoft.com");
        Assert.Contains(whole.Removed, e => e.HostPattern == "msk8s.b.tlu.dl.delivery.mp.microsoft.com");
    }

    /// <summary>Backticked names in the third column (URL) of every table row: what a reader takes as the hosts.</summary>
    private static IEnumerable<string> BacktickedHosts(string markdown)
    {
        foreach (var line in markdown.Split('\n').Where(l => l.TrimStart().StartsWith('|')))
        {
            var cells = line.Split('|');
            if (cells.Length < 4)
                continue;
            var parts = cells[3].Split('`');
            for (var i = 1; i < parts.Length; i += 2)
            {
                // A backtick inside a name is the 2022 typo "`v20.events.data.microsoft.co`m": the name goes on after it.
                var text = i + 1 < parts.Length && parts[i + 1].Length > 0 && char.IsAsciiLetter(parts[i + 1][0]) ? parts[i] + parts[i + 1].Split(' ')[0] : parts[i];
                foreach (var token in text.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries))
                {
                    var host = token.Replace("https://", "", StringComparison.OrdinalIgnoreCase).Replace("http://", "", StringComparison.OrdinalIgnoreCase).Split('/')[0].TrimEnd('.').ToLowerInvariant();
                    if (host.Contains('.'))
                        yield return host;
                }
            }
        }
    }
}
