using ArcBridgeDashboard.Testing;
using ArcBridgeDashboard.Web.Scale;
using ArcBridgeDashboard.Web.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace ArcBridgeDashboard.Web.Tests.Scale;

/// <summary>
/// The leader lease against a real PostgreSQL 15: of two replicas exactly one leads, and when the leader's database
/// session dies (pg_terminate_backend, as when its host vanishes) the other takes over at its next try.
/// </summary>
// PostgreSQL only: the leader lease is a PostgreSQL advisory lock (on SQLite there is one process and no lease).
public sealed class LeaderLeaseTests
{
    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(10);

    /// <summary>A database of this test's own on the shared server (advisory locks are per database).</summary>
    private readonly string _database = PostgresServer.Shared.CreateDatabase();

    private PostgresAdvisoryLease NewLease(TimeProvider? time = null, ILogger<PostgresAdvisoryLease>? logger = null) =>
        new(_database, time ?? TimeProvider.System, logger ?? NullLogger<PostgresAdvisoryLease>.Instance, Retry);

    [Fact]
    public async Task TwoReplicas_OneLeads_TheOtherTakesOverWhenTheLeadersSessionIsKilled()
    {
        var aLog = new LogLines();
        var bLog = new LogLines();
        using var a = NewLease(logger: aLog);
        using var b = NewLease(logger: bLog);

        Assert.True(await a.TryOnceAsync(CancellationToken.None));
        Assert.False(await b.TryOnceAsync(CancellationToken.None));
        Assert.False(await b.TryOnceAsync(CancellationToken.None)); // still held: asking again changes nothing
        // Each says which it is, the follower once (not at every try).
        Assert.Single(aLog.Lines, l => l.StartsWith("This replica is now the leader", StringComparison.Ordinal));
        Assert.Single(bLog.Lines, l => l.StartsWith("This replica is not the leader", StringComparison.Ordinal));
        Assert.True(a.IsLeader);
        Assert.False(b.IsLeader);

        await KillSessionAsync(a);

        // The leader notices at its next round and steps down; the other takes the freed lock at its next round.
        Assert.False(await a.TryOnceAsync(CancellationToken.None));
        Assert.False(a.IsLeader);
        Assert.True(await b.TryOnceAsync(CancellationToken.None));
        Assert.False(await a.TryOnceAsync(CancellationToken.None)); // reconnected, but the lock is b's now
        Assert.True(b.IsLeader);
        Assert.False(a.IsLeader);
        Assert.Single(bLog.Lines, l => l.StartsWith("This replica is now the leader", StringComparison.Ordinal));
        Assert.Contains(aLog.Lines, l => l.StartsWith("This replica lost the leader lease", StringComparison.Ordinal));
        Assert.Single(aLog.Lines, l => l.StartsWith("This replica is not the leader", StringComparison.Ordinal));
    }

    /// <summary>The lease's log messages, formatted.</summary>
    private sealed class LogLines : ILogger<PostgresAdvisoryLease>
    {
        private readonly List<string> _lines = [];

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (_lines)
                    return [.. _lines];
            }
        }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_lines)
                _lines.Add(formatter(state, exception));
        }
    }

    [Fact]
    public async Task RunningLeases_OnTheirClock_MoveLeadershipWithinOneRetryInterval()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-03-02T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        using var a = NewLease(time);
        using var b = NewLease(time);
        await a.StartAsync(CancellationToken.None);
        await WaitAsync(() => a.IsLeader && a.SleepingUntil is not null, "replica a leads and sleeps");
        await b.StartAsync(CancellationToken.None);
        await WaitAsync(() => b.SleepingUntil is not null, "replica b tried and sleeps");
        Assert.False(b.IsLeader);

        await KillSessionAsync(a);
        time.Advance(Retry);

        await WaitAsync(() => b.IsLeader && !a.IsLeader, "replica b leads after one retry interval, and a does not");
        await WaitAsync(() => a.SleepingUntil is not null && b.SleepingUntil is not null, "both sleep again");
        time.Advance(Retry);
        await WaitAsync(() => a.SleepingUntil is not null && b.SleepingUntil is not null && a.SleepingUntil > time.GetUtcNow(), "both tried again");
        Assert.True(b.IsLeader);
        Assert.False(a.IsLeader);

        var bSession = b.BackendProcessId!.Value;
        await b.StopAsync(CancellationToken.None); // a replica shutting down closes its session, which frees the lock
        Assert.False(b.IsLeader);
        await SessionEndedAsync(bSession);
        await WaitAsync(() => a.SleepingUntil is not null, "replica a sleeps");
        time.Advance(Retry);
        await WaitAsync(() => a.IsLeader, "replica a leads again after b stopped");
        await a.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task UnreachableDatabase_NoLeader_AndNoException()
    {
        var closed = new NpgsqlConnectionStringBuilder(_database) { Port = ArcBridgeDashboard.Testing.Ports.FreeTcp(), Timeout = 2 }.ConnectionString;
        using var lease = new PostgresAdvisoryLease(closed, TimeProvider.System, NullLogger<PostgresAdvisoryLease>.Instance, Retry);

        Assert.False(await lease.TryOnceAsync(CancellationToken.None));
        Assert.False(lease.IsLeader);
    }

    private async Task KillSessionAsync(PostgresAdvisoryLease lease)
    {
        var pid = lease.BackendProcessId ?? throw new InvalidOperationException("the lease holds no open connection");
        await TerminateBackendAsync(pid);
        // pg_terminate_backend only signals: wait (bounded) until the session, and with it the lock, is gone.
        await SessionEndedAsync(pid);
    }

    /// <summary>Ends a server process (a session) as an administrator would: the client sees its connection drop.</summary>
    private async Task TerminateBackendAsync(int processId)
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_terminate_backend(@pid)", connection);
        command.Parameters.AddWithValue("pid", processId);
        if (await command.ExecuteScalarAsync() is not true)
            throw new InvalidOperationException($"PostgreSQL backend {processId} could not be terminated.");
    }

    private Task SessionEndedAsync(int pid) =>
        Eventually.UntilAsync(async () =>
        {
            await using var connection = new NpgsqlConnection(_database);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE pid = @pid", connection);
            command.Parameters.AddWithValue("pid", pid);
            return (long)(await command.ExecuteScalarAsync())!;
        }, n => n == 0, $"backend {pid} ended");

    private static Task WaitAsync(Func<bool> condition, string what) =>
        Eventually.UntilAsync(() => Task.FromResult(condition()), ok => ok, what);
}
