namespace ArcBridgeDashboard.Probes.Tests.Fixtures;

/// <summary>Reads files from this folder in the source tree (the test csproj copies nothing to the output).</summary>
internal static class FixtureFiles
{
    public const string SeedAllowlist = "arc-resource-bridge-network-requirements.md";

    public static string Read(string name) => File.ReadAllText(PathOf(name));

    public static string PathOf(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        for (var i = 0; i < 10 && dir is not null; i++, dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "Fixtures", name);
            if (dir.Name == "ArcBridgeDashboard.Probes.Tests" && File.Exists(candidate))
                return candidate;
            var fromRoot = Path.Combine(dir.FullName, "tests", "ArcBridgeDashboard.Probes.Tests", "Fixtures", name);
            if (File.Exists(fromRoot))
                return fromRoot;
        }
        throw new FileNotFoundException($"fixture {name} not found above {AppContext.BaseDirectory}");
    }
}
