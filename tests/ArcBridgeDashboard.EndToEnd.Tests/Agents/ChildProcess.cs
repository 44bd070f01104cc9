using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ArcBridgeDashboard.EndToEnd.Tests.Agents;

/// <summary>A `dotnet some.dll` child with its output captured to a log file; killed (SIGKILL) on dispose.</summary>
public sealed class ChildProcess : IDisposable
{
    private readonly Process process;
    private readonly StreamWriter log;
    private readonly StringBuilder recent = new();

    private ChildProcess(Process process, StreamWriter log)
    {
        this.process = process;
        this.log = log;
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

    public int Id => process.Id;
    public bool HasExited => process.HasExited;
    public int ExitCode => process.ExitCode;

    public string Output
    {
        get
        {
            lock (recent)
                return recent.ToString();
        }
    }

    /// <summary>SIGKILL: no shutdown code runs, like a power cut or OOM kill.</summary>
    public void KillHard()
    {
        if (!process.HasExited)
            process.Kill(entireProcessTree: true);
        process.WaitForExit(10_000);
    }

    public void Dispose()
    {
        KillHard();
        process.Dispose();
        lock (log)
            log.Dispose();
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
        lock (recent)
        {
            recent.AppendLine(line);
            if (recent.Length > 200_000)
                recent.Remove(0, 100_000);
        }
        lock (log)
        {
            try
            {
                log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // output after dispose
            }
        }
    }
}
