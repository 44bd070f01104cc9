using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ArcBridgeDashboard.EndToEnd.Tests.Agents;

/// <summary>A `dotnet some.dll` child with its output captured to a log file; killed (SIGKILL) on dispose.</summary>
public sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly StringBuilder _recent = new();

    private ChildProcess(Process process, StreamWriter log)
    {
        _process = process;
        _log = log;
    }

    public static ChildProcess Start(string dll, IEnumerable<string> args, IDictionary<string, string> environment, string logPath)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        foreach (var (key, value) in environment)
            info.Environment[key] = value;
        info.WorkingDirectory = Path.GetDirectoryName(dll)!;
        return Launch(info, logPath);
    }

    public static ChildProcess StartCommand(string file, IEnumerable<string> args, string logPath)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        return Launch(info, logPath);
    }

    private static ChildProcess Launch(ProcessStartInfo info, string logPath)
    {
        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var process = new Process { StartInfo = info };
        var child = new ChildProcess(process, log);
        process.OutputDataReceived += (_, e) => child.Write(e.Data);
        process.ErrorDataReceived += (_, e) => child.Write(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;

    /// <summary>CPU time used so far: a process that is starting on a busy machine uses more of it, a hung one does not.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.HasExited ? TimeSpan.Zero : _process.TotalProcessorTime;
        }
    }
    public int ExitCode => _process.ExitCode;

    public string Output
    {
        get
        {
            lock (_recent)
                return _recent.ToString();
        }
    }

    /// <summary>SIGKILL: no shutdown code runs, like a power cut or OOM kill.</summary>
    public void KillHard()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    public void Dispose()
    {
        KillHard();
        _process.Dispose();
        lock (_log)
            _log.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Write(string? line)
    {
        if (line is null)
            return;
        lock (_recent)
        {
            _recent.AppendLine(line);
            if (_recent.Length > 200_000)
                _recent.Remove(0, 100_000);
        }
        lock (_log)
        {
            try
            {
                _log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // output after dispose
            }
        }
    }
}
