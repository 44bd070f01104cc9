using ArcBridgeDashboard.Testing;

namespace ArcBridgeDashboard.EndToEnd.Tests.Agents;

/// <summary>Paths of the built dashboard and agent (same configuration as this test assembly).</summary>
public static class Binaries
{
    public static string WebDll => RepositoryRoot.BuildOutput("ArcBridgeDashboard.Web", "ArcBridgeDashboard.Web.dll");
    public static string AgentDll => RepositoryRoot.BuildOutput("ArcBridgeDashboard.Agent", "arcbridge-agent.dll");

    /// <summary>
    /// The shipped linux-x64 agent: a single NativeAOT executable (SQLite linked in), published by test.sh into
    /// artifacts/agent/linux-x64. Required, not skipped: it is the binary operators run.
    /// </summary>
    public static string PublishedAgent
    {
        get
        {
            var path = Path.Combine(RepositoryRoot.Path, "artifacts", "agent", "linux-x64", "arcbridge-agent");
            return File.Exists(path) ? path : throw new FileNotFoundException(
                $"Publish the agent first (test.sh does): dotnet publish src/ArcBridgeDashboard.Agent -p:PublishProfile=linux-x64; {path} is missing.");
        }
    }
}
