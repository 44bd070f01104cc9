using System.Diagnostics;

namespace ArcBridgeDashboard.EndToEnd.Tests.Agents;

/// <summary>
/// A network namespace joined to the host by a veth pair (host 10.213.X.1, namespace 10.213.X.2), with an nftables
/// output chain that drops TCP to chosen ports of the host side. Needs root; removed on dispose.
/// </summary>
public sealed class Netns : IDisposable
{
    private Netns(string name, string hostVeth, string hostAddress)
    {
        Name = name;
        HostVeth = hostVeth;
        HostAddress = hostAddress;
    }

    public string Name { get; }
    public string HostVeth { get; }
    public string HostAddress { get; }

    private static int _lastSubnet = Random.Shared.Next(0, 249);

    public static Netns Create()
    {
        // Distinct subnets for namespaces that live at the same time (tests in parallel collections).
        var id = 1 + (Interlocked.Increment(ref _lastSubnet) % 249);
        var tag = Guid.NewGuid().ToString("N")[..6];
        var ns = new Netns($"abag-{tag}", $"abagh{tag}", $"10.213.{id}.1");
        try
        {
            Run("ip", "netns", "add", ns.Name);
            Run("ip", "link", "add", ns.HostVeth, "type", "veth", "peer", "name", $"abagn{tag}");
            Run("ip", "link", "set", $"abagn{tag}", "netns", ns.Name);
            Run("ip", "addr", "add", $"{ns.HostAddress}/30", "dev", ns.HostVeth);
            Run("ip", "link", "set", ns.HostVeth, "up");
            Run("ip", "netns", "exec", ns.Name, "ip", "addr", "add", $"10.213.{id}.2/30", "dev", $"abagn{tag}");
            Run("ip", "netns", "exec", ns.Name, "ip", "link", "set", $"abagn{tag}", "up");
            Run("ip", "netns", "exec", ns.Name, "ip", "link", "set", "lo", "up");
            return ns;
        }
        catch
        {
            ns.Dispose();
            throw;
        }
    }

    /// <summary>Inside the namespace, silently drop TCP to these ports of the host side (a firewall that blackholes).</summary>
    public void Block(IEnumerable<int> ports)
    {
        Run("ip", "netns", "exec", Name, "nft", "add table inet abag");
        Run("ip", "netns", "exec", Name, "nft", "add chain inet abag out { type filter hook output priority 0 ; }");
        Run("ip", "netns", "exec", Name, "nft", $"add rule inet abag out ip daddr {HostAddress} tcp dport {{ {string.Join(", ", ports)} }} drop");
    }

    public void Dispose()
    {
        TryRun("ip", "netns", "del", Name);
        TryRun("ip", "link", "del", HostVeth);
    }

    private static void Run(string file, params string[] args)
    {
        var (code, output) = Exec(file, args);
        if (code != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({code}): {output}");
    }

    private static void TryRun(string file, params string[] args) => Exec(file, args);

    private static (int Code, string Output) Exec(string file, string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
            info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit(30_000);
        return (p.ExitCode, output);
    }
}
