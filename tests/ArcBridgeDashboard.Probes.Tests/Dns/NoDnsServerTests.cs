using System.Text.Json;
using ArcBridgeDashboard.Probes.Tests.Lab;
using ArcBridgeDashboard.Probes.Tests.Support;
using ArcBridgeDashboard.Testing;

namespace ArcBridgeDashboard.Probes.Tests.Dns;

/// <summary>
/// A machine whose /etc/resolv.conf lists no nameserver, for real: the agent's `check` runs in its own network and mount
/// namespaces (unshare, needs root) with an empty file bind-mounted over /etc/resolv.conf. DnsClient reads that file
/// itself and only for interfaces that are up, so the namespace gets a veth pair with an address, as a real machine's
/// network is up; nothing is routed out of it, so no packet leaves. The same run with a nameserver listed shows the
/// namespace alone does not empty the list.
/// </summary>
[Trait("Category", "Daemons")]
public sealed class NoDnsServerTests
{
    [Fact]
    public void Check_EmptyResolvConf_EveryTargetFailsDnsNoServerWithoutAnException()
    {
        var (results, run) = CheckWithResolvConf("");

        var probed = results.Where(r => Text(r, "reason") is not "NeedsHostname" and not "RevocationBlocked").ToList();
        Assert.True(probed.Count >= 5, run.ToString());
        // Revocation servers keep their own reason, and say why they are out of reach.
        Assert.All(results.Where(r => r.GetProperty("port").GetInt32() == 80), r => Assert.Contains("No DNS server", Text(r, "message")));
        foreach (var result in probed)
        {
            Assert.True(Text(result, "reason") == "DnsNoServer", result.ToString());
            Assert.Equal("Fail", Text(result, "verdict"));
            Assert.Equal("Dns", Text(result, "phase"));
            Assert.StartsWith("No DNS server is configured or reachable to resolve", Text(result, "message"));
            Assert.Contains("/etc/resolv.conf", Text(result, "message"));
            Assert.Contains("--dns-server", Text(result, "remedy"));
            Assert.DoesNotContain("Exception", result.ToString());
        }
        Assert.DoesNotContain("Exception", run.Stderr);
        Assert.DoesNotContain("   at ", run.Stderr);
    }

    [Fact]
    public void Check_ResolvConfWithUnansweredNameserver_FailsDnsTimeoutNotNoServer()
    {
        var (results, run) = CheckWithResolvConf("nameserver 198.18.0.53\n");

        var probed = results.Where(r => Text(r, "reason") is not "NeedsHostname" and not "RevocationBlocked").ToList();
        Assert.True(probed.Count >= 5, run.ToString());
        Assert.All(probed, r => Assert.True(Text(r, "reason") == "DnsTimeout", r.ToString()));
        Assert.All(results.Where(r => r.GetProperty("port").GetInt32() == 80), r => Assert.Contains("No DNS answer", Text(r, "message")));
    }

    private static (List<JsonElement> Results, LabProcessResult Run) CheckWithResolvConf(string resolvConf)
    {
        Assert.True(OperatingSystem.IsLinux() && Environment.IsPrivilegedProcess,
            "needs root on Linux: the check runs in network and mount namespaces (run the suite with sudo ./test.sh)");
        using var dir = new TempDir();
        File.WriteAllText(dir.File("resolv.conf"), resolvConf);
        var agent = RepositoryRoot.BuildOutput("ArcBridgeDashboard.Agent", "arcbridge-agent.dll");
        const string script = """
            set -e
            ip link set lo up
            ip link add abd0 type veth peer name abd1
            ip addr add 198.18.0.1/24 dev abd0
            ip link set abd0 up
            ip link set abd1 up
            mount --bind "$1" /etc/resolv.conf
            exec dotnet "$2" check --format json --blob-registry off --timeout 1 --role ManagementMachine
            """;
        var run = LabProcess.Run("unshare", ["--net", "--mount", "--propagation", "private", "sh", "-c", script, "no-dns",
            dir.File("resolv.conf"), agent], TimeSpan.FromSeconds(120));
        Assert.True(run.ExitCode == 1, run.ToString()); // 1: some checks failed, as every one does here
        using var json = JsonDocument.Parse(run.Stdout);
        return (json.RootElement.GetProperty("results").EnumerateArray().Select(r => r.Clone()).ToList(), run);
    }

    private static string Text(JsonElement result, string property) => result.GetProperty(property).GetString() ?? "";
}
