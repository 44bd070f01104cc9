using System.Diagnostics;
using ArcBridgeDashboard.Testing;
using Npgsql;

namespace ArcBridgeDashboard.Web.Tests.Support;

/// <summary>
/// A throwaway PostgreSQL 15 (Debian's) for the scale-out tests: initdb in a temporary folder as the postgres user,
/// listening on 127.0.0.1 only, on a free port, trust authentication, killed and deleted on dispose.
/// </summary>
public sealed class ScalePostgres : IAsyncLifetime
{
    public const string BinDirectory = "/usr/lib/postgresql/15/bin";

    private readonly string _root = Path.Combine(Path.GetTempPath(), $"arcbridge-pg-{Guid.NewGuid():N}");
    private DaemonProcess? _server;

    public int Port { get; private set; }

    /// <summary>A connection string for the "postgres" superuser on the test server.</summary>
    public string ConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1", Port = Port, Username = "postgres", Database = "postgres", Pooling = false, Timeout = 10,
    }.ConnectionString;

    public async Task InitializeAsync()
    {
        if (!File.Exists(Path.Combine(BinDirectory, "initdb")))
            throw new InvalidOperationException($"PostgreSQL 15 is not installed ({BinDirectory}/initdb); run test.sh once to install the Debian packages.");
        Directory.CreateDirectory(_root);
        var data = Path.Combine(_root, "data");
        Run("chown", "postgres", _root);
        Run("runuser", "-u", "postgres", "--", Path.Combine(BinDirectory, "initdb"), "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync");
        Port = Ports.FreeTcp();
        _server = DaemonProcess.Start("runuser", ["-u", "postgres", "--", Path.Combine(BinDirectory, "postgres"), "-D", data,
            "-c", "listen_addresses=127.0.0.1", "-c", $"port={Port}", "-c", $"unix_socket_directories={_root}", "-c", "fsync=off"]);
        _server.WaitForTcpPort(Port, TimeSpan.FromSeconds(30));
        // Listening is not accepting yet (startup recovery): wait for a real query, bounded.
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString);
                await connection.OpenAsync();
                return;
            }
            catch (NpgsqlException) when (deadline.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>Ends a server process (a session) as an administrator would: the client sees its connection drop.</summary>
    public async Task TerminateBackendAsync(int processId)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_terminate_backend(@pid)", connection);
        command.Parameters.AddWithValue("pid", processId);
        if (await command.ExecuteScalarAsync() is not true)
            throw new InvalidOperationException($"PostgreSQL backend {processId} could not be terminated.");
    }

    public Task DisposeAsync()
    {
        _server?.Dispose();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // a file still held by the dying server: the temp folder is cleaned with the machine
        }
        return Task.CompletedTask;
    }

    private static void Run(string fileName, params string[] arguments)
    {
        var info = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish within 60 s");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} failed ({process.ExitCode}):\n{output.Result}\n{error.Result}");
    }
}
