namespace ArcBridgeDashboard.Testing;

/// <summary>
/// The checkout the tests were built from (the folder holding ArcBridgeDashboard.sln). Compiled into each test project
/// as a linked file, so tests reach README.md, lab/, docker-compose.yml and the src/ build output wherever the clone is.
/// </summary>
internal static class RepositoryRoot
{
    private static readonly Lazy<string> Root = new(Find);

    public static string Path => Root.Value;

    /// <summary>The configuration this test assembly was built in (Debug or Release): its output folder's parent.</summary>
    public static string Configuration { get; } =
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(System.IO.Path.DirectorySeparatorChar)).Parent!.Name;

    /// <summary>
    /// A file of a src/ project's build output in <see cref="Configuration"/>, e.g. the agent's arcbridge-agent.dll:
    /// what operators run, not the copy beside the tests. Fails loudly when the solution has not been built.
    /// </summary>
    public static string BuildOutput(string project, string file)
    {
        var path = System.IO.Path.Combine(Path, "src", project, "bin", Configuration, "net10.0", file);
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build the solution first (dotnet build ArcBridgeDashboard.sln -c {Configuration}): {path} is missing.", path);
    }

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "ArcBridgeDashboard.sln")))
                return dir.FullName;
        throw new InvalidOperationException("ArcBridgeDashboard.sln not found above " + AppContext.BaseDirectory);
    }
}
