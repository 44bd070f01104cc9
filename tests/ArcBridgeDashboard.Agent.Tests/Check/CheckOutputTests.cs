using System.Text.Json;
using ArcBridgeDashboard.Agent.Check;
using ArcBridgeDashboard.Agent.Tests.Support;
using ArcBridgeDashboard.Testing;
using Microsoft.Extensions.Configuration;

namespace ArcBridgeDashboard.Agent.Tests.Check;

/// <summary>Runs whose targets all need a hostname: no packet is sent, so the report shape is tested on its own.</summary>
public sealed class CheckOutputTests : IDisposable
{
    private readonly AllowlistFiles _files = new();

    private async Task<(int Exit, string Out, string Err)> Run(IConfiguration configuration, params string[] extra)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        string[] args = ["--catalog", _files.Write(("Nowhere storage", "443", "*.nowhere.test")), "--blob-registry", "off", "--revocation-defaults", "off", "--role", "ApplianceVm", .. extra];
        var exit = await CheckCommand.RunAsync(args, stdout, stderr, configuration);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static IConfiguration Config(params (string Key, string Value)[] values)
        => new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public async Task RunAsync_JsonFormat_HasDocumentedShape()
    {
        var (exit, stdout, stderr) = await Run(Config(), "--format", "json");

        Assert.Equal(0, exit);
        Assert.Equal("", stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal("2025-07-01", root.GetProperty("catalogVersion").GetString());
        Assert.True(root.GetProperty("startedAt").TryGetDateTimeOffset(out _));
        var summary = root.GetProperty("summary");
        Assert.Equal((0, 3, 0, 3, 0), (summary.GetProperty("passed").GetInt32(), summary.GetProperty("warned").GetInt32(),
            summary.GetProperty("failed").GetInt32(), summary.GetProperty("total").GetInt32(), summary.GetProperty("exitCode").GetInt32()));
        var results = root.GetProperty("results").EnumerateArray().ToList();
        var wildcard = results[0];
        Assert.Equal("Nowhere storage", wildcard.GetProperty("service").GetString());
        Assert.Equal("*.nowhere.test", wildcard.GetProperty("host").GetString());
        Assert.Equal(443, wildcard.GetProperty("port").GetInt32());
        Assert.Equal("Tcp", wildcard.GetProperty("protocol").GetString());
        Assert.Equal("ApplianceVm", wildcard.GetProperty("sources").GetString());
        Assert.Equal("Warn", wildcard.GetProperty("verdict").GetString());
        Assert.Equal("None", wildcard.GetProperty("phase").GetString());
        Assert.Equal("NeedsHostname", wildcard.GetProperty("reason").GetString());
        Assert.StartsWith("needs a hostname", wildcard.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("Pass --wildcard \"*.nowhere.test=HOST\".", wildcard.GetProperty("remedy").GetString());
        Assert.Equal(JsonValueKind.Object, wildcard.GetProperty("timingsMs").ValueKind);
        Assert.Equal(JsonValueKind.Object, wildcard.GetProperty("details").ValueKind);
        // The DNS extra requirement (UDP and TCP 53) is listed even with no --dns-server.
        Assert.Equal(["<dns-servers>", "<dns-servers>"], results.Skip(1).Select(r => r.GetProperty("host").GetString()));
    }

    [Fact]
    public async Task RunAsync_TableFormat_ListsEachTargetAndSummaryWithoutColourWhenRedirected()
    {
        var (exit, stdout, _) = await Run(Config());

        Assert.Equal(0, exit);
        var lines = stdout.TrimEnd().Split('\n');
        Assert.StartsWith("VERDICT", lines[1], StringComparison.Ordinal);
        Assert.Contains("WARN", lines[2], StringComparison.Ordinal);
        Assert.Contains("*.nowhere.test:443/tcp", lines[2], StringComparison.Ordinal);
        Assert.Contains("NeedsHostname", lines[2], StringComparison.Ordinal);
        Assert.Equal("0 passed, 3 warned, 0 failed of 3", lines[^1]);
        Assert.DoesNotContain("\u001b[", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_FormatFromConfiguration_IsOverriddenByCommandLine()
    {
        var fromConfig = await Run(Config(("Check:Format", "json")));
        var overridden = await Run(Config(("Check:Format", "json")), "--format", "markdown");

        Assert.StartsWith("{", fromConfig.Out, StringComparison.Ordinal);
        Assert.StartsWith("### Arc resource bridge connectivity check", overridden.Out, StringComparison.Ordinal);
        Assert.Contains("| Warn | Nowhere storage | `*.nowhere.test:443/tcp` | None | NeedsHostname |", overridden.Out, StringComparison.Ordinal);
        Assert.Contains("**0 passed, 3 warned, 0 failed of 3**", overridden.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_WildcardFromConfigurationList_ExpandsTheHost()
    {
        var closed = LoopbackTlsServer.ClosedPort();
        var path = _files.Write(("Loopback wildcard", closed.ToString(System.Globalization.CultureInfo.InvariantCulture), "*.loop.test"));
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = await CheckCommand.RunAsync(["--catalog", path, "--role", "ApplianceVm", "--format", "json", "--timeout", "2", "--revocation-defaults", "off"], stdout, stderr,
            Config(("Check:Wildcards:0", "*.loop.test=127.0.0.1"), ("Check:BlobRegistry", "off")));

        using var json = JsonDocument.Parse(stdout.ToString());
        var first = json.RootElement.GetProperty("results")[0];
        Assert.Equal("127.0.0.1", first.GetProperty("host").GetString());
        Assert.Equal("Fail", first.GetProperty("verdict").GetString());
        Assert.Equal(1, exit);
    }

    [Fact]
    public async Task RunAsync_RoleManagementMachine_LeavesOutApplianceOnlyRows()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        string[] args = ["--catalog", _files.Write(("Appliance only", "443", "*.nowhere.test")), "--blob-registry", "off", "--revocation-defaults", "off", "--role", "ManagementMachine", "--format", "json"];

        var exit = await CheckCommand.RunAsync(args, stdout, stderr, Config());

        using var json = JsonDocument.Parse(stdout.ToString());
        var hosts = json.RootElement.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("host").GetString()).ToList();
        Assert.Equal(0, exit);
        Assert.DoesNotContain("*.nowhere.test", hosts);
        Assert.Equal(["<dns-servers>", "<dns-servers>", "<appliance-vm-ips>", "<appliance-vm-ips>", "<control-plane-ip>", "<control-plane-ip>"], hosts);
    }

    public void Dispose() => _files.Dispose();
}
