using ArcBridgeDashboard.Probes.Contracts;

namespace ArcBridgeDashboard.Probes.Tests.Docs;

public sealed class ReadmeReasonTableTests
{
    [Fact]
    public void Readme_ReasonTable_MatchesReasonCatalog()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md")).Replace("\r\n", "\n");
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

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ArcBridgeDashboard.sln")))
                return dir.FullName;
        throw new InvalidOperationException("ArcBridgeDashboard.sln not found above " + AppContext.BaseDirectory);
    }
}
