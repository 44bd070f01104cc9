using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Testing;

namespace ArcBridgeDashboard.Probes.Tests.Docs;

public sealed class ReadmeReasonTableTests
{
    [Fact]
    public void Readme_ReasonTable_MatchesReasonCatalog()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "README.md")).Replace("\r\n", "\n");
        var table = ReasonCatalog.ToMarkdownTable();
        Assert.True(readme.Contains(table, StringComparison.Ordinal),
            "README.md's reason table is out of date; paste this table into it:\n" + table);
    }

    [Fact]
    public void ReasonCatalog_EveryReasonCode_IsDocumented()
    {
        foreach (var code in Enum.GetValues<ReasonCode>())
            Assert.False(string.IsNullOrWhiteSpace(ReasonCatalog.Get(code).Remedy), $"{code} has no remedy");
    }
}
