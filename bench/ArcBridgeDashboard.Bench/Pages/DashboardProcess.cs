using System.Diagnostics;

namespace ArcBridgeDashboard.Bench.Pages;

/// <summary>
/// The published dashboard running on 127.0.0.1 against a seeded database, with the built-in agent off and a one-day
/// interval so no sweep writes while pages are measured, and a long retention so nothing is deleted mid-run.
/// </summary>
public sealed class DashboardProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _log = [];

    private DashboardProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }
    public int Pid => _process.Id;
    public IReadOnlyList<string> LogTail { get { lock (_log) return _log.TakeLast(20).ToList(); } }

    public static async Task<DashboardProcess> StartAsync(string publishDir, string databasePath, int port)
    {
        var dll = Path.Combine(publishDir, "ArcBridgeDashboard.Web.dll");
        if (!File.Exists(dll))
            throw new InvalidOperationException($"{dll} not found: publish first (bench/run.sh pages does)");
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = publishDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[]
        {
            dll, "--urls", $"http://127.0.0.1:{port}",
            "--ArcBridge:BuiltInAgentEnabled=false",
            "--ArcBridge:DefaultInterval=1.00:00:00",
            "--ArcBridge:FirstSweepDelay=01:00:00",
            "--ArcBridge:Retention:RawDays=3650",
            "--ArcBridge:Retention:HourlyDays=3650",
            "--ArcBridge:Retention:ChangeDays=3650",
        }) info.ArgumentList.Add(arg);
        // A PostgreSQL database is named by its connection string (seed --postgres), a SQLite one by its path.
        foreach (var (key, value) in DatabaseSettings(databasePath))
            info.ArgumentList.Add($"--{key}={value}");
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["DOTNET_gcServer"] = "0";
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the dashboard");
        var host = new DashboardProcess(process, new Uri($"http://127.0.0.1:{port}"));
        process.OutputDataReceived += (_, e) => host.Append(e.Data);
        process.ErrorDataReceived += (_, e) => host.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await host.WaitUntilListeningAsync(TimeSpan.FromSeconds(90));
        return host;
    }

    /// <summary>The dashboard's settings for the seeded database: its SQLite file, or PostgreSQL and the connection string.</summary>
    public static IEnumerable<(string Key, string Value)> DatabaseSettings(string database) => Seed.SchemaBootstrap.IsPostgreSql(database)
        ? [("ArcBridge:Database:Provider", "PostgreSql"), ("ArcBridge:Database:ConnectionString", database)]
        : [("ArcBridge:DatabasePath", database)];

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log) { _log.Add(line); if (_log.Count > 500) _log.RemoveAt(0); }
    }

    private async Task WaitUntilListeningAsync(TimeSpan limit)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"dashboard exited with {_process.ExitCode}:\n{string.Join('\n', LogTail)}");
            try
            {
                using var response = await client.GetAsync(new Uri(BaseAddress, "/favicon.png"));
                return;
            }
            catch (HttpRequestException) { await Task.Delay(250); }
            catch (TaskCanceledException) { await Task.Delay(250); }
        }
        throw new TimeoutException($"dashboard did not listen within {limit.TotalSeconds} s:\n{string.Join('\n', LogTail)}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
