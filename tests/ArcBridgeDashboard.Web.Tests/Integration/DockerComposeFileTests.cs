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
    public async Task DockerComposeConfig_ScaleProfile_HasPostgresRedisNginxTwoReplicasAndAgents()
    {
        var root = RepositoryRoot.Path;
        var (exit, stdout, stderr) = await RunAsync(root, "docker-compose", "-f", "docker-compose.yml", "--profile", "scale", "config", "--services");
        Assert.True(exit == 0, $"docker-compose config failed ({exit}): {stderr}");
        var services = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var service in new[] { "postgres", "redis", "nginx", "dashboard-1", "dashboard-2", "scale-agent-vm", "scale-agent-mgmt" })
            Assert.Contains(service, services);

        (exit, stdout, stderr) = await RunAsync(root, "docker-compose", "-f", "docker-compose.yml", "--profile", "scale", "config");
        Assert.True(exit == 0, $"docker-compose config failed ({exit}): {stderr}");
        // nginx serves the shipped configuration, whose upstream names the two replicas on the app's port.
        Assert.Contains(Path.Combine(root, "deploy", "nginx", "arcbridge.conf") + ":/etc/nginx/conf.d/default.conf", stdout);
        var nginx = File.ReadAllText(Path.Combine(root, "deploy", "nginx", "arcbridge.conf"));
        Assert.Contains("server dashboard-1:8080", nginx);
        Assert.Contains("server dashboard-2:8080", nginx);
        // Both replicas on the same PostgreSQL and Redis, trusting nginx's fixed address as their proxy.
        Assert.Equal(2, CountOf(stdout, "ArcBridge__Redis__Configuration: redis:6379"));
        Assert.Equal(2, CountOf(stdout, "ArcBridge__Database__Provider: PostgreSql"));
        Assert.Equal(2, CountOf(stdout, "ArcBridge__ForwardedHeaders__KnownProxies__0: 172.31.250.10"));
        Assert.Contains("ipv4_address: 172.31.250.10", stdout);
    }

    private static int CountOf(string text, string fragment)
    {
        var count = 0;
        for (var at = text.IndexOf(fragment, StringComparison.Ordinal); at >= 0; at = text.IndexOf(fragment, at + fragment.Length, StringComparison.Ordinal))
            count++;
        return count;
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
