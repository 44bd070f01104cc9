using System.Diagnostics;
using System.Globalization;
using ArcBridgeDashboard.Agent.Check;
using ArcBridgeDashboard.Agent.Tests.Support;
using ArcBridgeDashboard.Testing;

namespace ArcBridgeDashboard.Agent.Tests.Check;

/// <summary>The real executable: exit codes and ARCBRIDGE_ environment variables as a shell sees them.</summary>
public sealed class CheckProcessTests : IDisposable
{
    private readonly AllowlistFiles _files = new();

    /// <summary>
    /// The agent's own build output, what operators run: the copy beside the tests is not runnable on its own, since
    /// this test project also references the ASP.NET framework (Kestrel for PlanPollerTests).
    /// </summary>
    private static string AgentDll() => ArcBridgeDashboard.Testing.RepositoryRoot.BuildOutput("ArcBridgeDashboard.Agent", "arcbridge-agent.dll");

    private static Task<(int Exit, string Out, string Err)> RunProcess(IDictionary<string, string> environment, params string[] args)
        => RunProcessAt(AgentDll(), environment, args);

    /// <summary>A copy of the agent's build output in a folder the test owns, so an appsettings.json can sit beside the exe.</summary>
    private string CopyAgent(string appsettingsJson)
    {
        var source = Path.GetDirectoryName(AgentDll())!;
        var target = Directory.CreateDirectory(Path.Combine(_files.Directory, "agent")).FullName;
        foreach (var file in Directory.GetFiles(source))
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        File.WriteAllText(Path.Combine(target, "appsettings.json"), appsettingsJson);
        return Path.Combine(target, "arcbridge-agent.dll");
    }

    private static async Task<(int Exit, string Out, string Err)> RunProcessAt(string dll, IDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        foreach (var name in new[] { "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy" })
            start.Environment.Remove(name);
        foreach (var (key, value) in environment)
            start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return (process.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task Process_BadRoleFromEnvironment_Exits2WithoutStackTrace()
    {
        var catalog = _files.Write(("Nowhere", "443", "*.nowhere.test"));

        var (exit, stdout, stderr) = await RunProcess(new Dictionary<string, string> { ["ARCBRIDGE_Check__Role"] = "Switch" },
            "check", "--catalog", catalog, "--blob-registry", "off", "--revocation-defaults", "off");

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Equal("error: --role: unknown role 'Switch' (expected ManagementMachine or ApplianceVm)", stderr.TrimEnd());
    }

    [Fact]
    public async Task Process_ClosedPort_Exits1AndFormatComesFromEnvironment()
    {
        var catalog = _files.Write(("Closed", LoopbackTlsServer.ClosedPort().ToString(CultureInfo.InvariantCulture), "127.0.0.1"));

        var (exit, stdout, stderr) = await RunProcess(new Dictionary<string, string> { ["ARCBRIDGE_Check__Format"] = "json", ["ARCBRIDGE_Check__BlobRegistry"] = "off" },
            "check", "--catalog", catalog, "--role", "ApplianceVm", "--timeout", "20");

        Assert.True(exit == 1, $"exit {exit}\n{stdout}\n{stderr}");
        Assert.StartsWith("{", stdout, StringComparison.Ordinal);
        Assert.Contains("\"reason\": \"TcpRefused\"", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_OnlyWarnings_Exits0()
    {
        var catalog = _files.Write(("Nowhere", "443", "*.nowhere.test"));

        var (exit, stdout, _) = await RunProcess(new Dictionary<string, string>(), "check", "--catalog", catalog, "--role", "ApplianceVm", "--blob-registry", "off", "--revocation-defaults", "off");

        Assert.Equal(0, exit);
        Assert.EndsWith("0 passed, 3 warned, 0 failed of 3", stdout.TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_AppsettingsBesideExe_IsReadAndEnvironmentWins()
    {
        var dll = CopyAgent("""{ "Check": { "Format": "markdown", "Role": "ApplianceVm", "BlobRegistry": "off" } }""");
        var catalog = _files.Write(("Nowhere", "443", "*.nowhere.test"));

        var fromFile = await RunProcessAt(dll, new Dictionary<string, string>(), "check", "--catalog", catalog);
        var fromEnvironment = await RunProcessAt(dll, new Dictionary<string, string> { ["ARCBRIDGE_Check__Format"] = "json" }, "check", "--catalog", catalog);

        Assert.Equal(0, fromFile.Exit);
        Assert.StartsWith("### Arc resource bridge connectivity check (ApplianceVm, region eastus)", fromFile.Out, StringComparison.Ordinal);
        Assert.StartsWith("{", fromEnvironment.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_MalformedAppsettings_Exits2NamingTheFile()
    {
        var dll = CopyAgent("{ \"Check\": { \"Format\": ");

        var (exit, stdout, stderr) = await RunProcessAt(dll, new Dictionary<string, string>(), "check", "--catalog", _files.Write(("Nowhere", "443", "*.nowhere.test")));

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.StartsWith("error: appsettings.json: ", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    public void Dispose() => _files.Dispose();

    public static TheoryData<string> PublishedAllowlists() => new(Directory
        .GetFiles(Path.Combine(ArcBridgeDashboard.Testing.RepositoryRoot.Path, "tests", "ArcBridgeDashboard.Probes.Tests", "Fixtures", "allowlists"),
            "arc-resource-bridge-network-requirements.*.md")
        .Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal));

    /// <summary>
    /// Every published version through the real `check --catalog`: nothing refused (exit 0 or 1, never 2), the same host
    /// on several rows probed once, the inbound checks present and direct, and no Azure Government endpoint in an Azure
    /// Cloud check. Every peer is on loopback and closed, so each target fails fast and nothing leaves the machine.
    /// </summary>
    [Theory]
    [MemberData(nameof(PublishedAllowlists))]
    public async Task Process_EveryPublishedAllowlist_ChecksWithoutRefusalOneRowPerTargetInboundPresentNoGovernment(string file)
    {
        var catalog = Path.Combine(ArcBridgeDashboard.Testing.RepositoryRoot.Path, "tests", "ArcBridgeDashboard.Probes.Tests", "Fixtures", "allowlists", file);

        var (exit, stdout, stderr) = await RunProcess(new Dictionary<string, string>(), "check", "--catalog", catalog, "--format", "json",
            "--timeout", "1", "--blob-registry", "off", "--dns-server", "127.0.0.1:9",
            "--appliance-vm-ip", "127.0.0.9", "--control-plane-ip", "127.0.0.8");

        Assert.True(exit is 0 or 1, $"exit {exit}: {stderr}");
        Assert.DoesNotContain("error:", stderr, StringComparison.Ordinal);
        using var json = System.Text.Json.JsonDocument.Parse(stdout);
        var results = json.RootElement.GetProperty("results").EnumerateArray().ToList();
        var keys = results.Select(r => r.GetProperty("endpointKey").GetString() + " " + r.GetProperty("targetKey").GetString()).ToList();
        Assert.Equal(keys.Count, keys.Distinct().Count());
        Assert.True(results.Count >= 12, $"{results.Count} targets"); // the 2022 versions list nine outbound hosts
        Assert.Contains(results, r => r.GetProperty("targetKey").GetString() == "127.0.0.9:6443/tcp");
        Assert.Contains(results, r => r.GetProperty("targetKey").GetString() == "127.0.0.8:22/tcp");
        Assert.DoesNotContain(results, r => r.GetProperty("host").GetString()!.EndsWith(".us", StringComparison.Ordinal));
    }
}
