using System.Diagnostics;
using ArcBridgeDashboard.Testing;

namespace ArcBridgeDashboard.Web.Tests.Integration;

/// <summary>
/// No Docker engine runs here, but the compose client validates the file without one: a broken compose file is
/// what an operator would hit first.
/// </summary>
public sealed class DockerComposeFileTests
{
    [Fact]
    public async Task DockerComposeConfig_RepositoryComposeFile_IsAcceptedWithDashboardAndAgentServices()
    {
        var root = RepositoryRoot.Path;
        var (exit, stdout, stderr) = await RunAsync(root, "docker-compose", "-f", "docker-compose.yml", "--profile", "agent", "config", "--services");

        Assert.True(exit == 0, $"docker-compose config failed ({exit}): {stderr}");
        var services = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains("dashboard", services);
        Assert.Contains("agent", services);
    }

    [Fact]
    public async Task DockerComposeConfig_BrokenCopy_IsRejected()
    {
        var dir = Directory.CreateTempSubdirectory("compose-");
        try
        {
            var broken = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docker-compose.yml")) + "\n  not-a-key: [\n";
            File.WriteAllText(Path.Combine(dir.FullName, "docker-compose.yml"), broken);
            var (exit, _, _) = await RunAsync(dir.FullName, "docker-compose", "-f", "docker-compose.yml", "config", "-q");
            Assert.NotEqual(0, exit);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string workingDirectory, string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
