using Npgsql;

namespace ArcBridgeDashboard.Web.Scale;

/// <summary>
/// The leader lease on PostgreSQL: <c>pg_try_advisory_lock(key)</c> held on a dedicated, unpooled connection. The
/// server frees the lock when that connection ends (the replica stopped, crashed or lost the network; server-side
/// TCP keepalives are set short so a vanished host is noticed within about half a minute), and every other replica
/// tries again each <see cref="RetryInterval"/>, so a dead leader is replaced within a minute. A leader checks its
/// connection each interval too: a broken connection means the lock may be someone else's, so it stops leading.
/// </summary>
public sealed partial class PostgresAdvisoryLease : BackgroundService, ILeaderLease
{
    public static readonly TimeSpan DefaultRetryInterval = TimeSpan.FromSeconds(10);

    /// <summary>The advisory lock key: "ArcBrdgL" as a 64-bit integer, unlikely to clash with anyone else's lock.</summary>
    public const long LockKey = 0x4172634272646746;

    private readonly string _connectionString;
    private readonly TimeProvider _time;
    private readonly ILogger<PostgresAdvisoryLease> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private NpgsqlConnection? _connection;
    private volatile bool _isLeader;
    private bool _followingLogged;

    public PostgresAdvisoryLease(string connectionString, TimeProvider time, ILogger<PostgresAdvisoryLease> logger, TimeSpan? retryInterval = null)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString)
        {
            // The lock belongs to the session: no pool may keep (or hand out) the session after we let go of it.
            Pooling = false,
            KeepAlive = 10,
            ApplicationName = "ArcBridgeDashboard leader lease",
        };
        _connectionString = builder.ConnectionString;
        _time = time;
        _logger = logger;
        RetryInterval = retryInterval ?? DefaultRetryInterval;
    }

    public bool IsLeader => _isLeader;
    public bool IsShared => true;
    public TimeSpan RetryInterval { get; }

    /// <summary>Raised with the new value whenever this replica gains or loses the lease.</summary>
    public event Action<bool>? LeadershipChanged;

    /// <summary>The server process of the lease's connection (tests end it with pg_terminate_backend).</summary>
    internal int? BackendProcessId => _connection?.FullState == System.Data.ConnectionState.Open ? _connection.ProcessID : null;

    /// <summary>When the loop is asleep, until when (tests wait for this before moving a fake clock).</summary>
    internal DateTimeOffset? SleepingUntil { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await TryOnceAsync(stoppingToken);
            SleepingUntil = _time.GetUtcNow() + RetryInterval;
            try
            {
                await Task.Delay(RetryInterval, _time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            finally
            {
                SleepingUntil = null;
            }
        }
    }

    /// <summary>One round: a leader checks its connection (and, if it broke, steps down); anyone else tries to take the lock.</summary>
    /// <returns>Whether this replica leads afterwards.</returns>
    public async Task<bool> TryOnceAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_isLeader)
            {
                if (await StillConnectedAsync(cancellationToken))
                    return true;
                await DropConnectionAsync();
                SetLeader(false);
                LogLost();
                // Not this round: the others get one interval to take over, so leadership moves once, not back and forth.
                return false;
            }
            try
            {
                if (_connection is null)
                {
                    var connection = new NpgsqlConnection(_connectionString);
                    await connection.OpenAsync(cancellationToken);
                    _connection = connection;
                    // A leader whose host vanishes without closing its socket is noticed by the server within ~25 s.
                    await using var keepalive = new NpgsqlCommand("SET tcp_keepalives_idle = 10; SET tcp_keepalives_interval = 5; SET tcp_keepalives_count = 3", connection);
                    await keepalive.ExecuteNonQueryAsync(cancellationToken);
                }
                await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", _connection);
                command.Parameters.AddWithValue("key", LockKey);
                if (await command.ExecuteScalarAsync(cancellationToken) is true)
                {
                    SetLeader(true);
                    _followingLogged = false;
                    LogGained(_connection.ProcessID);
                }
                else if (!_followingLogged)
                {
                    // Once per stretch of following, not every try: the log says which replica runs the shared work.
                    _followingLogged = true;
                    LogFollowing(RetryInterval.TotalSeconds);
                }
            }
            catch (Exception ex) when (ex is NpgsqlException or System.Net.Sockets.SocketException or IOException or TimeoutException or InvalidOperationException)
            {
                LogTryFailed(ex.Message);
                await DropConnectionAsync();
            }
            return _isLeader;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<bool> StillConnectedAsync(CancellationToken cancellationToken)
    {
        if (_connection is null || _connection.FullState != System.Data.ConnectionState.Open)
            return false;
        try
        {
            await using var command = new NpgsqlCommand("SELECT 1", _connection);
            await command.ExecuteScalarAsync(cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
        {
            LogTryFailed(ex.Message);
            return false;
        }
    }

    private void SetLeader(bool value)
    {
        if (_isLeader == value)
            return;
        _isLeader = value;
        LeadershipChanged?.Invoke(value);
    }

    private async Task DropConnectionAsync()
    {
        if (_connection is null)
            return;
        try
        {
            await _connection.DisposeAsync();
        }
        catch (Exception ex) when (ex is NpgsqlException or IOException)
        {
            LogTryFailed(ex.Message);
        }
        _connection = null;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            // Closing the session frees the lock at once, so another replica takes over at its next try.
            await DropConnectionAsync();
            SetLeader(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public override void Dispose()
    {
        // The gate is not disposed: a host disposed before it is stopped (a test factory disposed twice) still calls
        // StopAsync, which takes the gate; a SemaphoreSlim without a wait handle holds nothing to free.
        _connection?.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "This replica is now the leader (PostgreSQL advisory lock held by backend {ProcessId}): it runs the schedule, retention, reports and notifications")]
    private partial void LogGained(int processId);

    [LoggerMessage(Level = LogLevel.Information, Message = "This replica is not the leader (another replica holds the PostgreSQL advisory lock): it leaves the schedule, retention, reports and notifications to the leader and tries to take over every {Seconds} s")]
    private partial void LogFollowing(double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "This replica lost the leader lease (its database connection broke); another replica takes over")]
    private partial void LogLost();

    [LoggerMessage(Level = LogLevel.Warning, Message = "The leader lease could not be checked or taken: {Message}")]
    private partial void LogTryFailed(string message);
}
