using System.Diagnostics;
using ArcBridgeDashboard.Bench.Common;

namespace ArcBridgeDashboard.Bench.Sweep;

/// <summary>
/// `sweep [--runs 5] [--sequential-runs 1]`: creates a private network namespace (only its own loopback, so no packet
/// can reach a real address), drops 127.0.9.0/24 on input there with nftables (a silent blackhole: SYNs and NTP
/// queries vanish), runs `sweep-inner` inside it, and always removes the namespace. Needs root.
/// </summary>
public static class SweepCommand
{
    public const string BlackholeCidr = "127.0.9.0/24";

    public static async Task<int> RunAsync(Args args)
    {
        if (Environment.UserName != "root" && Environment.GetEnvironmentVariable("USER") != "root")
            throw new InvalidOperationException("sweep needs root to create a network namespace (run bench/run.sh sweep as root)");
        var ns = $"arcbench-{Environment.ProcessId}";
        try
        {
            await RunAsync("ip", "netns", "add", ns);
            await RunAsync("ip", "-n", ns, "link", "set", "lo", "up");
            var rules = Path.Combine(Path.GetTempPath(), $"{ns}.nft");
            // Drop on input, not output: an output drop of a local packet fails connect() at once with EPERM.
            await File.WriteAllTextAsync(rules, $$"""
                table inet arcbench {
                  chain input {
                    type filter hook input priority 0; policy accept;
                    ip daddr {{BlackholeCidr}} drop
                  }
                }
                """);
            await RunAsync("ip", "netns", "exec", ns, "nft", "-f", rules);
            File.Delete(rules);
            var inner = SelfProcess.StartInfo("sweep-inner",
                ["--runs", args.Get("runs", "5"), "--sequential-runs", args.Get("sequential-runs", "1"), "--timeout", args.Get("timeout", "3")],
                wrapper: "ip", wrapperArgs: ["netns", "exec", ns]);
            using var process = Process.Start(inner) ?? throw new InvalidOperationException("could not start sweep-inner");
            using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            await process.WaitForExitAsync(limit.Token);
            return process.ExitCode;
        }
        finally
        {
            await RunAsync("ip", "netns", "del", ns);
        }
    }

    private static async Task RunAsync(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardError = true };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({process.ExitCode}): {error.Trim()}");
    }
}
