using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using ArcBridgeDashboard.Testing;

namespace ArcBridgeDashboard.EndToEnd.Tests.Agents;

/// <summary>
/// Debian's Wine (wine64) as a stand-in Windows: its services.exe is a real service control manager, so `sc create`,
/// `sc start` and `sc stop` drive the agent through the same StartServiceCtrlDispatcher / SetServiceStatus calls that
/// Windows makes. One throw-away WINEPREFIX per instance.
/// </summary>
public sealed partial class WineServiceHost : IDisposable
{
    public const string Wine64 = "/usr/lib/wine/wine64";
    private const string WineServer = "/usr/lib/wine/wineserver";

    private readonly string _prefix;
    private readonly string _logPath;
    private readonly Process _keepAlive;

    /// <summary>
    /// The /tmp/wine-XXXXXX that holds this prefix's wineserver socket, or null when Wine uses /run/user/UID/wine.
    /// Debian's Wine (8.0) uses /run/user/UID/wine when that directory exists; otherwise (as in CI, and with no TMPDIR in
    /// its environment here) it makes a /tmp/wine-XXXXXX and names it in $WINEPREFIX/wineserver. It ignores
    /// XDG_RUNTIME_DIR. Two Wine processes starting at once on a fresh prefix can then each make their own, and one
    /// fails ("chdir to /tmp/wine-…/server-…: No such file or directory"), so nothing else starts until the first
    /// one's server is up.
    /// </summary>
    private readonly string? _serverDirectory;

    public WineServiceHost(string folder)
    {
        if (!OperatingSystem.IsLinux())
            throw new PlatformNotSupportedException("Wine stands in for Windows on Linux only.");
        if (!File.Exists(Wine64))
            throw new InvalidOperationException($"{Wine64} is missing: install Debian's wine64 (./test.sh does).");
        _prefix = Path.Combine(folder, "wineprefix");
        Directory.CreateDirectory(_prefix);
        _logPath = Path.Combine(folder, "wine.log");
        // Wine ends its "system" processes (services.exe and the services it started) as soon as no ordinary Wine
        // process is left; a cmd.exe waiting on our open stdin keeps the session, like a logged-in Windows user.
        // It also starts wineserver and services.exe, which inherit its output: a file, never a pipe anyone reads to EOF.
        _keepAlive = Process.Start(Info(["cmd"], redirectInput: true, _logPath)) ?? throw new InvalidOperationException("could not start wine cmd");
        try
        {
            _serverDirectory = WaitForServer(TimeSpan.FromSeconds(120));
        }
        catch
        {
            StopWine();
            throw;
        }
    }

    private string? WaitForServer(TimeSpan limit)
    {
        // A fixed path per prefix: no second directory to race with.
        if (Directory.Exists($"/run/user/{UserId()}"))
            return null;
        var named = Path.Combine(_prefix, "wineserver");
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit && !_keepAlive.HasExited)
        {
            try
            {
                if (File.Exists(named) && File.ReadAllText(named).Trim() is { Length: > 0 } name
                    && Path.Combine("/tmp", name) is var directory && Directory.Exists(directory)
                    && Directory.EnumerateFiles(directory, "socket", SearchOption.AllDirectories).Any())
                    return directory;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // being written, or a directory Wine is still making
            }
            Thread.Sleep(100);
        }
        throw new InvalidOperationException($"wineserver for {_prefix} did not start within {limit.TotalSeconds:F0} s (wine cmd exited: {_keepAlive.HasExited}); see {_logPath}");
    }

    private static string UserId() =>
        File.ReadLines("/proc/self/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t', ' ')
            .First(f => f.Length > 0 && char.IsAsciiDigit(f[0]));

    /// <summary>The published win-x64 agent, self-contained but not single-file: Wine cannot map a .NET single-file bundle.</summary>
    public static string AgentExe
    {
        get
        {
            var path = Path.Combine(RepositoryRoot.Path, "artifacts", "agent", "win-x64-wine", "arcbridge-agent.exe");
            return File.Exists(path) ? path : throw new FileNotFoundException(
                $"{path} is missing. ./test.sh --windows publishes it: dotnet publish src/ArcBridgeDashboard.Agent -c Release -r win-x64 --self-contained -p:PublishSingleFile=false -o artifacts/agent/win-x64-wine");
        }
    }

    /// <summary>
    /// How much Wine and the processes it started (services.exe, the service) have written to their shared log: it
    /// grows while they work, so a wait can tell a slow start from a stuck one.
    /// </summary>
    public long LogLength => File.Exists(_logPath) ? new FileInfo(_logPath).Length : 0;

    /// <summary>A Unix path as Wine's Z: drive sees it.</summary>
    public static string WindowsPath(string unixPath) => "Z:" + Path.GetFullPath(unixPath).Replace('/', '\\');

    /// <summary>Runs `sc` with the given arguments (sc's own syntax: "binpath=" and its value are separate words).</summary>
    public async Task<string> ScAsync(params string[] args)
    {
        var output = Path.Combine(Path.GetDirectoryName(_logPath)!, $"sc-{Guid.NewGuid():N}.txt");
        using (var process = Process.Start(Info(["sc", .. args], redirectInput: false, output)) ?? throw new InvalidOperationException("could not start wine sc"))
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            await process.WaitForExitAsync(timeout.Token);
        }
        var text = File.Exists(output) ? await File.ReadAllTextAsync(output) : "";
        File.Delete(output);
        return text;
    }

    /// <summary>The service's state and Win32 exit code as `sc query` prints them, e.g. ("RUNNING", 0).</summary>
    public async Task<(string State, int ExitCode, string Raw)> QueryAsync(string service)
    {
        var raw = await ScAsync("query", service);
        var state = StateLine().Match(raw);
        var exit = ExitCodeLine().Match(raw);
        return (state.Success ? state.Groups[1].Value : "?",
            exit.Success ? int.Parse(exit.Groups[1].Value, CultureInfo.InvariantCulture) : -1, raw);
    }

    /// <summary>wine64 under sh with its output appended to <paramref name="outputPath"/>.</summary>
    private ProcessStartInfo Info(string[] wineArgs, bool redirectInput, string outputPath)
    {
        var info = new ProcessStartInfo("/bin/sh") { RedirectStandardInput = redirectInput, UseShellExecute = false };
        string[] args = ["-c", "out=\"$1\"; shift; exec \"$@\" >>\"$out\" 2>&1", "sh", outputPath, Wine64, .. wineArgs];
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        SetWineEnvironment(info.Environment);
        return info;
    }

    /// <summary>
    /// A clean environment, as on a Windows host: services inherit it, and the test runner's DOTNET_* and other
    /// variables would otherwise reach the agent through Wine. wineserver -k gets the same, so it finds the same server.
    /// </summary>
    private void SetWineEnvironment(IDictionary<string, string?> environment)
    {
        environment.Clear();
        environment["PATH"] = "/usr/local/bin:/usr/bin:/bin";
        environment["HOME"] = Environment.GetEnvironmentVariable("HOME") ?? "/root";
        environment["WINEPREFIX"] = _prefix;
        environment["WINEDEBUG"] = "-all";
        // No Gecko installer on first start (there is no network). mscoree must stay: Wine's loader needs it for .NET images.
        environment["WINEDLLOVERRIDES"] = "mshtml=";
    }

    public void Dispose()
    {
        StopWine();
        try
        {
            if (_serverDirectory is not null)
                Directory.Delete(_serverDirectory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // a Wine process still winding down; /tmp is cleaned at boot
        }
    }

    /// <summary>Ends wineserver (it runs detached), services.exe, the agent service and cmd.exe of this prefix.</summary>
    private void StopWine()
    {
        var kill = new ProcessStartInfo(WineServer, "-k") { UseShellExecute = false };
        SetWineEnvironment(kill.Environment);
        using (var killer = Process.Start(kill))
            killer?.WaitForExit(30_000);
        if (!_keepAlive.HasExited)
            _keepAlive.Kill(entireProcessTree: true);
        _keepAlive.WaitForExit(10_000);
        _keepAlive.Dispose();
    }

    [GeneratedRegex(@"STATE\s*:\s*\d+\s+(\w+)")]
    private static partial Regex StateLine();

    [GeneratedRegex(@"WIN32_EXIT_CODE\s*:\s*(\d+)")]
    private static partial Regex ExitCodeLine();
}
