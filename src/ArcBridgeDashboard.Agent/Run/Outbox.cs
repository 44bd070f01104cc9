using System.Text.Json;
using ArcBridgeDashboard.Probes.Contracts;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace ArcBridgeDashboard.Agent.Run;

public sealed record OutboxStats(long Depth, long Produced, long Acked, long Rejected, long Dropped);

/// <summary>
/// Results not yet acknowledged by the server, in a SQLite file, so neither a server outage nor an agent restart
/// loses them. Bounded: past <c>maxRows</c> the oldest are dropped (counted and logged), because the newest
/// results say more about the network now. Counters (produced, acknowledged, rejected, dropped) make losses visible.
/// </summary>
public sealed partial class Outbox : IAsyncDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly int _maxRows;
    private readonly ILogger<Outbox> _logger;
    private SqliteTransaction? _current;

    private Outbox(SqliteConnection connection, int maxRows, ILogger<Outbox> logger)
    {
        _connection = connection;
        _maxRows = maxRows;
        _logger = logger;
    }

    public static async Task<Outbox> OpenAsync(string path, int maxRows, ILogger<Outbox> logger, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, DefaultTimeout = 30 }.ToString());
        await connection.OpenAsync(cancellationToken);
        await ExecAsync(connection, """
            PRAGMA journal_mode=WAL;
            PRAGMA synchronous=FULL;
            CREATE TABLE IF NOT EXISTS outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, json TEXT NOT NULL);
            DROP TABLE IF EXISTS produced;
            CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
            INSERT OR IGNORE INTO counters VALUES ('produced', 0), ('acked', 0), ('rejected', 0), ('dropped', 0);
            """, cancellationToken);
        return new Outbox(connection, maxRows, logger);
    }

    /// <summary>Stores results durably (fsync'd) before the sweep moves on.</summary>
    public async Task AddAsync(IReadOnlyCollection<ProbeResult> results, CancellationToken cancellationToken = default)
    {
        if (results.Count == 0)
            return;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var tx = _current = (SqliteTransaction)await _connection.BeginTransactionAsync(cancellationToken);
            await using var insert = NewCommand();
            insert.CommandText = "INSERT OR IGNORE INTO outbox (id, json) VALUES ($id, $json)";
            var id = insert.Parameters.Add("$id", SqliteType.Text);
            var json = insert.Parameters.Add("$json", SqliteType.Text);
            foreach (var result in results)
            {
                id.Value = result.Id.ToString();
                json.Value = JsonSerializer.Serialize(result, AgentJson.Default.ProbeResult);
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }
            await ExecAsync($"UPDATE counters SET value = value + {results.Count} WHERE name = 'produced';", cancellationToken);
            var dropped = await TrimAsync(cancellationToken);
            await tx.CommitAsync(cancellationToken);
            if (dropped > 0)
                LogDropped(dropped, _maxRows);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The oldest results, up to <paramref name="max"/>.</summary>
    public async Task<IReadOnlyList<ProbeResult>> PeekAsync(int max, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var command = NewCommand();
            command.CommandText = "SELECT json FROM outbox ORDER BY seq LIMIT $max";
            command.Parameters.AddWithValue("$max", max);
            var results = new List<ProbeResult>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                results.Add(JsonSerializer.Deserialize(reader.GetString(0), AgentJson.Default.ProbeResult)!);
            return results;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Deletes what the server acknowledged (committed) or refused for good; nothing else.</summary>
    public async Task RemoveAsync(IReadOnlyCollection<Guid> acked, IReadOnlyCollection<Guid> rejected, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var tx = _current = (SqliteTransaction)await _connection.BeginTransactionAsync(cancellationToken);
            var removedAcked = await DeleteAsync(acked, cancellationToken);
            var removedRejected = await DeleteAsync(rejected, cancellationToken);
            await ExecAsync($"UPDATE counters SET value = value + {removedAcked} WHERE name = 'acked'; UPDATE counters SET value = value + {removedRejected} WHERE name = 'rejected';", cancellationToken);
            await tx.CommitAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<OutboxStats> StatsAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var command = NewCommand();
            command.CommandText = """
                SELECT (SELECT COUNT(*) FROM outbox),
                       (SELECT value FROM counters WHERE name='produced'), (SELECT value FROM counters WHERE name='acked'),
                       (SELECT value FROM counters WHERE name='rejected'), (SELECT value FROM counters WHERE name='dropped')
                """;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            return new OutboxStats(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4));
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync();
        _gate.Dispose();
    }

    private async Task<int> DeleteAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        var removed = 0;
        await using var delete = NewCommand();
        delete.CommandText = "DELETE FROM outbox WHERE id = $id";
        var id = delete.Parameters.Add("$id", SqliteType.Text);
        foreach (var guid in ids)
        {
            id.Value = guid.ToString();
            removed += await delete.ExecuteNonQueryAsync(cancellationToken);
        }
        return removed;
    }

    private async Task<long> TrimAsync(CancellationToken cancellationToken)
    {
        await using var command = NewCommand();
        command.CommandText = """
            DELETE FROM outbox WHERE seq IN (SELECT seq FROM outbox ORDER BY seq LIMIT max(0, (SELECT COUNT(*) FROM outbox) - $max));
            SELECT changes();
            """;
        command.Parameters.AddWithValue("$max", _maxRows);
        var dropped = (long)(await command.ExecuteScalarAsync(cancellationToken) ?? 0L);
        if (dropped > 0)
            await ExecAsync($"UPDATE counters SET value = value + {dropped} WHERE name = 'dropped';", cancellationToken);
        return dropped;
    }

    /// <summary>Commands must name the open transaction (Microsoft.Data.Sqlite refuses them otherwise).</summary>
    private SqliteCommand NewCommand()
    {
        var command = _connection.CreateCommand();
        command.Transaction = _current is { Connection: not null } ? _current : null;
        return command;
    }

    private async Task ExecAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = NewCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task ExecAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox full: dropped the {Dropped} oldest unsent results to stay within {MaxRows} rows")]
    private partial void LogDropped(long dropped, int maxRows);
}
