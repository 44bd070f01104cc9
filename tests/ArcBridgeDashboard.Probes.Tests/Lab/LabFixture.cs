using System.Collections.Concurrent;
using System.Text.Json;
using ArcBridgeDashboard.Testing;

namespace ArcBridgeDashboard.Probes.Tests.Lab;

/// <summary>
/// Brings lab/up.sh up under a prefix of its own (abdt + pid % 100000) so it never collides with a person's lab, and always
/// tears it down. Needs root for network namespaces: without it every lab test fails with a message saying so.
/// </summary>
public sealed class LabFixture : IDisposable
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(120);
    private readonly ConcurrentDictionary<string, Lazy<LabCheckRun>> _checks = new();
    private readonly string? _startError;
    private bool _up;

    public LabFixture()
    {
        RepoRoot = RepositoryRoot.Path;
        Prefix = $"abdt{Environment.ProcessId % 100000}";
        StateDir = $"/run/{Prefix}-lab";
        if (!OperatingSystem.IsLinux() || !Environment.IsPrivilegedProcess)
        {
            _startError = "Lab tests need root on Linux (they create network namespaces and run squid, dnsmasq, chrony and nftables). "
                + "Run the suite with 'sudo ./test.sh', or leave these out with: dotnet test --filter \"Category!=Lab\".";
            return;
        }
        var result = RunScript("up.sh");
        if (result.ExitCode != 0)
        {
            RunScript("down.sh");
            _startError = $"lab/up.sh failed with prefix {Prefix}:\n{result}";
            return;
        }
        _up = true;
        Env = ParseEnv(File.ReadAllText(Path.Combine(StateDir, "env.sh")));
    }

    public string RepoRoot { get; }
    public string Prefix { get; }
    public string StateDir { get; }
    public IReadOnlyDictionary<string, string> Env { get; } = new Dictionary<string, string>();
    public string CorpNamespace => Env["LAB_NS_CORP"];

    /// <summary>Every lab test starts here: fails the test, loudly, when the lab is not running.</summary>
    public LabFixture Require()
    {
        if (_startError is not null)
        {
            throw new InvalidOperationException(_startError);
        }
        return this;
    }

    /// <summary>Runs a command inside the corporate namespace.</summary>
    public LabProcessResult InCorp(TimeSpan timeout, params string[] command)
        => LabProcess.Run("ip", ["netns", "exec", CorpNamespace, .. command], timeout);

    /// <summary>
    /// The agent's `check --format json` inside corp, through lab/check.sh (the command a person runs). Each distinct
    /// argument list runs once per lab and is shared by the tests that read it.
    /// </summary>
    public LabCheckRun Check(params string[] arguments)
        => _checks.GetOrAdd(string.Join('\u0001', arguments), _ => new Lazy<LabCheckRun>(() => RunCheck(arguments))).Value;

    private LabCheckRun RunCheck(string[] arguments)
    {
        var agent = AgentDll();
        var result = LabProcess.Run(
            "bash",
            // The lab's internet (lab/hosts.txt) serves the hosts of the 2024-03-19 allowlist: check against that version.
            [Path.Combine(RepoRoot, "lab", "check.sh"), .. arguments,
                .. (arguments.Contains("--catalog") ? Array.Empty<string>() : ["--catalog", Fixtures.FixtureFiles.PathOf(Fixtures.FixtureFiles.SeedAllowlist)]),
                "--format", "json"],
            TimeSpan.FromSeconds(90),
            new Dictionary<string, string> { ["LAB_PREFIX"] = Prefix, ["ARCBRIDGE_AGENT_DLL"] = agent });
        try
        {
            return new LabCheckRun(result, JsonDocument.Parse(result.Stdout));
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"check did not print JSON ({ex.Message}):\n{result}", ex);
        }
    }

    /// <summary>The agent built in this test assembly's configuration (the ProjectReference builds it first).</summary>
    private static string AgentDll() => ArcBridgeDashboard.Testing.RepositoryRoot.BuildOutput("ArcBridgeDashboard.Agent", "arcbridge-agent.dll");

    private LabProcessResult RunScript(string script)
        => LabProcess.Run("bash", [Path.Combine(RepoRoot, "lab", script)], ScriptTimeout,
            new Dictionary<string, string> { ["LAB_PREFIX"] = Prefix });

    private static Dictionary<string, string> ParseEnv(string text)
        => text.Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.StartsWith("export ", StringComparison.Ordinal) && line.Contains('='))
            .Select(line => line["export ".Length..].Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1]);

    public void Dispose()
    {
        foreach (var check in _checks.Values.Where(c => c.IsValueCreated))
        {
            check.Value.Json.Dispose();
        }
        if (_up)
        {
            RunScript("down.sh");
            _up = false;
        }
    }
}
