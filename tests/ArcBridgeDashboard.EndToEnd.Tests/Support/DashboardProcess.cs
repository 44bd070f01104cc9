using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace ArcBridgeDashboard.EndToEnd.Tests.Support;

/// <summary>
/// The published dashboard as its own process on 127.0.0.1 (port chosen by Kestrel), on a database file prepared
/// beforehand. Built-in agent on with a one-hour first-sweep delay and interval: nothing probes until the test presses Check now.
/// Killed (whole tree) on dispose; its console output is kept in a log file beside the database.
/// </summary>
public sealed partial class DashboardProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(120); // a loaded 2-core machine took over 60 s

    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly StringBuilder _recent = new();
    private readonly TaskCompletionSource<string> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _logClosed;

    private DashboardProcess(Process process, StreamWriter log)
    {
        _process = process;
        _log = log;
    }

    public Uri BaseAddress { get; private set; } = default!;

    /// <summary>Console output so far (for failure messages).</summary>
    public string Output
    {
        get { lock (_recent) return _recent.ToString(); }
    }

    public static async Task<DashboardProcess> StartAsync(string publishedDll, string databasePath, string workDirectory)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(publishedDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(publishedDll);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add("http://127.0.0.1:0");
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["ArcBridge__DatabasePath"] = databasePath;
        info.Environment["ArcBridge__LogDirectory"] = Path.Combine(workDirectory, "logs");
        info.Environment["ArcBridge__BuiltInAgentEnabled"] = "true";
        info.Environment["ArcBridge__DefaultInterval"] = "01:00:00";
        info.Environment["ArcBridge__FirstSweepDelay"] = "01:00:00";

        var log = new StreamWriter(Path.Combine(workDirectory, "dashboard-console.log"), append: true) { AutoFlush = true };
        var process = new Process { StartInfo = info };
        var app = new DashboardProcess(process, log);
        process.OutputDataReceived += (_, e) => app.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => app.OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await app.WaitUntilReadyAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        return app;
    }

    private async Task WaitUntilReadyAsync()
    {
        var deadline = DateTime.UtcNow + StartupTimeout;
        var exited = _process.WaitForExitAsync();
        var first = await Task.WhenAny(_listening.Task, exited, Task.Delay(StartupTimeout));
        if (first != _listening.Task)
            throw new InvalidOperationException((exited.IsCompleted ? "The dashboard exited before listening" : $"The dashboard did not listen within {StartupTimeout.TotalSeconds:0} s") + ":\n" + Output);
        BaseAddress = new Uri(await _listening.Task + "/");

        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        while (true)
        {
            try
            {
                using var health = await client.GetAsync("healthz");
                if (health.IsSuccessStatusCode)
                    return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Kestrel listens slightly before the first request is served under load; try again
            }
            if (DateTime.UtcNow > deadline || _process.HasExited)
                throw new InvalidOperationException($"/healthz was not healthy within {StartupTimeout.TotalSeconds:0} s:\n" + Output);
            await Task.Delay(200);
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
            return;
        lock (_recent)
        {
            _recent.AppendLine(line);
            if (!_logClosed)
                _log.WriteLine(line);
        }
        if (ListeningLine().Match(line) is { Success: true } match)
            _listening.TrySetResult(match.Groups[1].Value);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
                _process.Kill(entireProcessTree: true);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException)
        {
            // never started or already gone
        }
        _process.Dispose();
        lock (_recent)
        {
            _logClosed = true;
            _log.Dispose();
        }
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();
}
