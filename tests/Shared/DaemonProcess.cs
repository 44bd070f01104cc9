using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ArcBridgeDashboard.Testing;

/// <summary>A real daemon (squid, dnsmasq, chronyd, openssl s_server) run in the foreground and always killed on dispose.</summary>
public sealed class DaemonProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private DaemonProcess(Process process) => _process = process;

    public string Output { get { lock (_output) return _output.ToString(); } }

    public static DaemonProcess Start(string fileName, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        var process = new Process { StartInfo = info };
        var daemon = new DaemonProcess(process);
        process.OutputDataReceived += (_, e) => daemon.Append(e.Data);
        process.ErrorDataReceived += (_, e) => daemon.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return daemon;
    }

    /// <summary>Waits (bounded) until <paramref name="ready"/> holds; throws with the daemon's output when it does not.</summary>
    public void WaitUntil(Func<bool> ready, string what, TimeSpan? limit = null)
    {
        var deadline = Stopwatch.StartNew();
        var max = limit ?? TimeSpan.FromSeconds(20);
        while (deadline.Elapsed < max)
        {
            if (_process.HasExited)
            {
                _process.WaitForExit(); // drains the redirected output so the message shows why
                throw new InvalidOperationException($"{_process.StartInfo.FileName} exited ({_process.ExitCode}) before {what}:\n{Output}");
            }
            if (ready())
                return;
            Thread.Sleep(100);
        }
        throw new TimeoutException($"{_process.StartInfo.FileName} not {what} after {max.TotalSeconds} s:\n{Output}");
    }

    public void WaitForTcpPort(int port, TimeSpan? limit = null) => WaitUntil(() => CanConnect(port), $"listening on TCP {port}", limit);

    public void WaitForOutput(string text, TimeSpan? limit = null) => WaitUntil(() => Output.Contains(text, StringComparison.Ordinal), $"printing \"{text}\"", limit);

    public static bool CanConnect(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }
}
