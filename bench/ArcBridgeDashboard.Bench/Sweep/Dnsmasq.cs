using System.Diagnostics;

namespace ArcBridgeDashboard.Bench.Sweep;

/// <summary>
/// Debian's dnsmasq answering only the bench names (--address per name), never forwarding (--no-resolv, no servers).
/// Runs inside the bench namespace, so even a forward would have nowhere to go.
/// </summary>
public sealed class Dnsmasq : IDisposable
{
    private readonly Process _process;

    private Dnsmasq(Process process) => _process = process;

    public static async Task<Dnsmasq> StartAsync(string listenAddress, int port, IReadOnlyDictionary<string, string> names)
    {
        var info = new ProcessStartInfo("/usr/sbin/dnsmasq") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[]
        {
            "--keep-in-foreground", "--conf-file=/dev/null", "--no-resolv", "--no-hosts", "--no-poll",
            $"--listen-address={listenAddress}", "--bind-interfaces", $"--port={port}", "--user=root", "--pid-file=",
            "--cache-size=0",
        }) info.ArgumentList.Add(arg);
        foreach (var (name, address) in names) info.ArgumentList.Add($"--address=/{name}/{address}");
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start dnsmasq");
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"dnsmasq: {e.Data}"); };
        process.BeginErrorReadLine();
        await Task.Delay(300);
        if (process.HasExited) throw new InvalidOperationException($"dnsmasq exited with {process.ExitCode}");
        return new Dnsmasq(process);
    }

    public void Dispose()
    {
        if (!_process.HasExited) { _process.Kill(); _process.WaitForExit(5000); }
        _process.Dispose();
    }
}
