using System.Diagnostics;
using Npgsql;

namespace ArcBridgeDashboard.Testing;

/// <summary>
/// A real PostgreSQL 15 server (Debian's postgresql package) for the tests: initdb into a temp folder, then
/// <c>postgres</c> on 127.0.0.1 at a free port with its unix socket in that folder, fsync off (a test database need
/// not survive a power loss). PostgreSQL refuses to run as root, so as root (test.sh) it runs as the postgres user on a
/// folder given to that user. One server per test process (<see cref="Shared"/>), stopped when the process exits; each
/// test gets a database of its own (<see cref="CreateDatabase"/>), cheaply copied from a template built once per test
/// process (<see cref="Template"/>) when it wants one already set up (e.g. migrated).
/// </summary>
public sealed class PostgresServer : IDisposable
{
    public const string BinDirectory = "/usr/lib/postgresql/15/bin";
    private const string ServiceUser = "postgres";
    private static readonly Lazy<PostgresServer> SharedServer = new(Start);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<string>> _templates = new();
    private readonly DaemonProcess _daemon;
    private readonly string _directory;
    private StreamWriter? _cleanupSignal;
    private bool _disposed;

    private PostgresServer(DaemonProcess daemon, string directory, int port)
    {
        _daemon = daemon;
        _directory = directory;
        Port = port;
    }

    /// <summary>The server of this test process, started on first use.</summary>
    public static PostgresServer Shared => SharedServer.Value;

    public static bool IsInstalled => File.Exists(Path.Combine(BinDirectory, "postgres"));

    public int Port { get; }

    /// <summary>Server output (the log goes to stderr), for failure messages.</summary>
    public string Output => _daemon.Output;

    /// <summary>A connection string to <paramref name="database"/> as the superuser (trust auth on loopback only).</summary>
    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = ServiceUser,
        Database = database,
        // Many apps side by side, each with its own pool: keep each small and let idle connections go soon.
        MaxPoolSize = 20,
        ConnectionIdleLifetime = 10,
    }.ToString();

    /// <summary>A new, empty database (or a copy of <paramref name="template"/>); returns its connection string.</summary>
    /// <remarks>Synchronous: test fixtures create theirs in constructors.</remarks>
    public string CreateDatabase(string? template = null)
    {
        var name = "t_" + Guid.NewGuid().ToString("N");
        using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = template is null ? $"CREATE DATABASE \"{name}\"" : $"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"";
        command.ExecuteNonQuery();
        return ConnectionString(name);
    }

    /// <summary>
    /// The template database <paramref name="name"/>, built on first use by <paramref name="build"/> (given its
    /// connection string, unpooled) once per test process, then frozen (a template taking no connections) so that
    /// <c>CreateDatabase(name)</c> copies it: a file copy on the server instead of redoing the build for every test.
    /// </summary>
    public string Template(string name, Action<string> build) => _templates.GetOrAdd(name, n => new Lazy<string>(() =>
    {
        using (var connection = new NpgsqlConnection(ConnectionString("postgres")))
        {
            connection.Open();
            using var create = connection.CreateCommand();
            create.CommandText = $"CREATE DATABASE \"{n}\"";
            create.ExecuteNonQuery();
        }
        // Unpooled: CREATE DATABASE … TEMPLATE refuses a template that still has a session.
        build(ConnectionString(n) + ";Pooling=false");
        using (var connection = new NpgsqlConnection(ConnectionString("postgres")))
        {
            connection.Open();
            using var freeze = connection.CreateCommand();
            freeze.CommandText = $"ALTER DATABASE \"{n}\" WITH IS_TEMPLATE true ALLOW_CONNECTIONS false";
            freeze.ExecuteNonQuery();
        }
        return n;
    })).Value;

    private static PostgresServer Start()
    {
        if (!IsInstalled)
            throw new InvalidOperationException($"PostgreSQL 15 is not installed ({BinDirectory}); test.sh installs the postgresql package.");
        RemoveStaleFolders();
        var directory = Directory.CreateTempSubdirectory(FolderPrefix).FullName;
        var data = Path.Combine(directory, "data");
        var sockets = Path.Combine(directory, "sockets");
        Directory.CreateDirectory(sockets);
        if (IsRoot)
            Run(("chown", ["-R", $"{ServiceUser}:{ServiceUser}", directory]));
        Run(AsServiceUser("initdb", "-D", data, "-U", ServiceUser, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"));
        var port = Ports.FreeTcp();
        var (file, arguments) = AsServiceUser("postgres", "-D", data, "-h", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-k", sockets, "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=400",
            "-c", "shared_buffers=64MB", "-c", "log_min_messages=warning");
        var daemon = DaemonProcess.Start(file, arguments);
        var server = new PostgresServer(daemon, directory, port);
        try
        {
            server.StartCleanup();
            daemon.WaitUntil(server.AcceptsConnections, "accepting connections", TimeSpan.FromSeconds(30));
        }
        catch
        {
            daemon.Dispose();
            server.Dispose();
            throw;
        }
        return server;
    }

    /// <summary>
    /// The test host is killed soon after the run, too soon for a shutdown hook: a detached shell (setsid -f, so no
    /// kill of our process tree reaches it) waits on a pipe only we hold, and when it closes (on dispose, or because
    /// this process is gone) stops the server (fast: it removes its shared memory) and deletes the folder.
    /// </summary>
    private void StartCleanup()
    {
        var (pgCtl, stopArguments) = AsServiceUser("pg_ctl", "stop", "-D", DataDirectory, "-m", "fast", "-w", "-t", "20");
        var stop = string.Join(' ', new[] { pgCtl }.Concat(stopArguments).Select(a => $"'{a}'"));
        // Output to /dev/null: the shell must hold none of this process's own pipes open after it is gone.
        var info = new ProcessStartInfo("setsid") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // The shared memory segment's id is line 7 of postmaster.pid; removed too in case the stop was cut short.
        var script = $"exec >/dev/null 2>&1; cat; shm=$(sed -n 7p '{DataDirectory}/postmaster.pid' | awk '{{print $2}}'); {stop}; "
            + $"if [ -n \"$shm\" ]; then ipcrm -m \"$shm\"; fi; rm -rf '{_directory}'";
        foreach (var argument in new[] { "-f", "sh", "-c", script })
            info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        _cleanupSignal = process.StandardInput;
        process.WaitForExit(TimeSpan.FromSeconds(10)); // setsid -f returns once it has forked the shell
    }

    private bool AcceptsConnections()
    {
        if (!DaemonProcess.CanConnect(Port))
            return false;
        try
        {
            using var connection = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false;Timeout=2");
            connection.Open();
            return true;
        }
        catch (NpgsqlException)
        {
            return false; // "the database system is starting up"
        }
    }

    private const string FolderPrefix = "arcbridge-pg-";

    /// <summary>
    /// Folders of servers of earlier test processes that could not clean up (the test host is killed soon after the
    /// run): no live postmaster in them, and untouched for ten minutes (a folder being set up now is new).
    /// </summary>
    private static void RemoveStaleFolders()
    {
        foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), FolderPrefix + "*").Take(100))
        {
            try
            {
                var pidFile = Path.Combine(folder, "data", "postmaster.pid");
                var running = File.Exists(pidFile) && int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), out var pid) && Directory.Exists($"/proc/{pid}");
                if (running || DateTime.UtcNow - Directory.GetLastWriteTimeUtc(folder) < TimeSpan.FromMinutes(10))
                    continue;
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // another test process got there first, or it is not ours to remove
            }
        }
    }

    private static bool IsRoot => Environment.UserName == "root";

    private string DataDirectory => Path.Combine(_directory, "data");

    /// <summary>A PostgreSQL program with its arguments, run as the postgres user when we are root.</summary>
    private static (string File, string[] Arguments) AsServiceUser(string program, params string[] arguments)
    {
        var file = Path.Combine(BinDirectory, program);
        return IsRoot ? ("runuser", ["-u", ServiceUser, "--", file, .. arguments]) : (file, arguments);
    }

    private static void Run((string File, string[] Arguments) command)
    {
        var info = new ProcessStartInfo(command.File) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in command.Arguments)
            info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        var line = $"{command.File} {string.Join(' ', command.Arguments)}";
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{line} did not finish in 60 s");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{line} exited {process.ExitCode}:\n{output.Result}\n{error.Result}");
    }

    /// <summary>Stops the server and deletes its folder (in the background: see <see cref="StartCleanup"/>).</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        NpgsqlConnection.ClearAllPools();
        if (_cleanupSignal is null)
            _daemon.Dispose(); // no cleanup shell: kill it, the stale-folder sweep of a later run removes the folder
        else
            _cleanupSignal.Close();
    }
}
