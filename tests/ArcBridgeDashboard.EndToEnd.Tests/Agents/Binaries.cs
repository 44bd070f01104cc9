using ArcBridgeDashboard.Testing;

namespace ArcBridgeDashboard.EndToEnd.Tests.Agents;

/// <summary>Paths of the built dashboard and agent (same configuration as this test assembly).</summary>
public static class Binaries
{
    private static readonly string Root = RepositoryRoot.Path;
    private static readonly string Configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    public static string WebDll => Existing(Path.Combine(Root, "src", "ArcBridgeDashboard.Web", "bin", Configuration, "net10.0", "ArcBridgeDashboard.Web.dll"));
    public static string AgentDll => Existing(Path.Combine(Root, "src", "ArcBridgeDashboard.Agent", "bin", Configuration, "net10.0", "arcbridge-agent.dll"));

    /// <summary>
    /// The shipped linux-x64 agent: a single NativeAOT executable (SQLite linked in), published by test.sh into
    /// artifacts/agent/linux-x64. Required, not skipped: it is the binary operators run.
    /// </summary>
    public static string PublishedAgent
    {
        get
        {
            var path = Path.Combine(Root, "artifacts", "agent", "linux-x64", "arcbridge-agent");
            return File.Exists(path) ? path : throw new FileNotFoundException(
                $"Publish the agent first (test.sh does): dotnet publish src/ArcBridgeDashboard.Agent -p:PublishProfile=linux-x64; {path} is missing.");
        }
    }

    private static string Existing(string path) => File.Exists(path) ? path : throw new FileNotFoundException($"Build the solution first: {path} is missing.");
}
