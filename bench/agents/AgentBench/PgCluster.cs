using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace ArcBridgeDashboard.Bench.Agents;

/// <summary>
/// A private PostgreSQL 15 cluster for the benchmarks (the approach of tests/Shared/PostgresServer.cs): initdb into a
/// folder, then <c>postgres</c> on 127.0.0.1 at a free port with its unix socket in that folder. Unlike the tests'
/// server it keeps PostgreSQL's durability defaults (fsync, synchronous_commit on: an acknowledged batch is on disk, as
/// the dashboard's SQLite runs with synchronous=FULL). As root it runs as the postgres user. Stopped on dispose; the
/// folder is deleted unless <see cref="Keep"/> (the pages bench reuses a seeded cluster).
/// </summary>
public sealed class PgCluster : IDisposable
{
    public const string BinDirectory = "/usr/lib/postgresql/15/bin";
    private const string ServiceUser = "postgres";
    private readonly Process _postmaster;
    private bool _disposed;

    private PgCluster(string folder, int port, Process postmaster)
    {
        Folder = folder;
        Port = port;
        _postmaster = postmaster;
    }

    public string Folder { get; }
    public int Port { get; }
    public bool Keep { get; set; }
    /// <summary>The postmaster's pid: its process tree is the cluster's CPU.</summary>
    public int Pid => _postmaster.Id;
    public string DataDirectory => Path.Combine(Folder, "data");

    public static bool IsInstalled => File.Exists(Path.Combine(BinDirectory, "postgres"));

    /// <summary>Starts the cluster in <paramref name="folder"/>, running initdb first when it holds none.</summary>
    /// <param name="settings">Extra <c>-c name=value</c> server settings (e.g. shared_buffers).</param>
    public static PgCluster Start(string folder, IEnumerable<string>? settings = null)
    {
        if (!IsInstalled)
            throw new InvalidOperationException($"PostgreSQL 15 is not installed ({BinDirectory}): apt-get install postgresql-15");
        Directory.CreateDirectory(folder);
        var data = Path.Combine(folder, "data");
        var sockets = Path.Combine(folder, "sockets");
        Directory.CreateDirectory(sockets);
        if (IsRoot)
            Run("chown", ["-R", $"{ServiceUser}:{ServiceUser}", folder]);
        if (!File.Exists(Path.Combine(data, "PG_VERSION")))
            Run(AsServiceUser("initdb", "-D", data, "-U", ServiceUser, "-A", "trust", "-E", "UTF8", "--locale=C"));
        var port = FreePort();
        string[] arguments = ["-D", data, "-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-k", sockets,
            "-c", "max_connections=300", "-c", "shared_buffers=512MB", "-c", "log_min_messages=warning", "-c", "max_wal_size=4GB",
            .. (settings ?? []).SelectMany(s => new[] { "-c", s })];
        var (file, args) = AsServiceUser("postgres", arguments);
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
            info.ArgumentList.Add(a);
        var log = new StreamWriter(Path.Combine(folder, "postgres.log"), append: true) { AutoFlush = true };
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var cluster = new PgCluster(folder, port, process);
        var clock = Stopwatch.StartNew();
        while (!cluster.AcceptsConnections())
        {
            if (process.HasExited || clock.Elapsed > TimeSpan.FromSeconds(120))
            {
                cluster.Dispose();
                throw new InvalidOperationException($"postgres did not start; see {Path.Combine(folder, "postgres.log")}");
            }
            Thread.Sleep(100);
        }
        return cluster;
    }

    public string ConnectionString(string database, int maxPool = 100) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1", Port = Port, Username = ServiceUser, Database = database, MaxPoolSize = maxPool, CommandTimeout = 0,
    }.ToString();

    public void CreateDatabase(string name)
    {
        using var connection = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)";
        command.ExecuteNonQuery();
        command.CommandText = $"CREATE DATABASE \"{name}\"";
        command.ExecuteNonQuery();
    }

    public bool DatabaseExists(string name)
    {
        using var connection = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM pg_database WHERE datname = @n";
        command.Parameters.AddWithValue("n", name);
        return (long)command.ExecuteScalar()! > 0;
    }

    public long DatabaseSize(string name)
    {
        using var connection = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT pg_database_size(@n)";
        command.Parameters.AddWithValue("n", name);
        return (long)command.ExecuteScalar()!;
    }

    private bool AcceptsConnections()
    {
        using (var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            try
            {
                socket.Connect(new IPEndPoint(IPAddress.Loopback, Port));
            }
            catch (SocketException)
            {
                return false;
            }
        }
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

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        NpgsqlConnection.ClearAllPools();
        try
        {
            Run(AsServiceUser("pg_ctl", "stop", "-D", DataDirectory, "-m", "fast", "-w", "-t", "60"));
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            if (!_postmaster.HasExited)
                _postmaster.Kill(entireProcessTree: true);
        }
        _postmaster.WaitForExit(10_000);
        if (!Keep)
        {
            try
            {
                Directory.Delete(Folder, recursive: true);
            }
            catch (IOException)
            {
                // left for the caller
            }
        }
    }

    private static bool IsRoot => Environment.UserName == "root";

    private static (string File, string[] Arguments) AsServiceUser(string program, params string[] arguments)
    {
        var file = Path.Combine(BinDirectory, program);
        return IsRoot ? ("runuser", ["-u", ServiceUser, "--", file, .. arguments]) : (file, arguments);
    }

    private static void Run((string File, string[] Arguments) command) => Run(command.File, command.Arguments);

    private static void Run(string file, string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not finish in 120 s");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited {process.ExitCode}:\n{output.Result}\n{error.Result}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
