namespace ArcBridgeDashboard.Testing;

/// <summary>
/// The checkout the tests were built from (the folder holding ArcBridgeDashboard.sln). Compiled into each test project
/// as a linked file, so tests reach README.md, lab/, docker-compose.yml and the src/ build output wherever the clone is.
/// </summary>
internal static class RepositoryRoot
{
    private static readonly Lazy<string> Root = new(Find);

    public static string Path => Root.Value;

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "ArcBridgeDashboard.sln")))
                return dir.FullName;
        throw new InvalidOperationException("ArcBridgeDashboard.sln not found above " + AppContext.BaseDirectory);
    }
}
