using System.Data.Common;

namespace ArcBridgeDashboard.Web.Monitoring;

/// <summary>
/// The derived rows' statements of one batch (roll-ups, latest rows, state changes, confirmed states). On PostgreSQL
/// they are queued and sent as one <see cref="DbBatch"/> when flushed: one round trip instead of one per row, each a
/// network hop and a wake-up of the server process. On SQLite (in-process, no round trip) each runs at once.
/// </summary>
internal sealed class StatementBatch(DbConnection connection, DbTransaction transaction, bool postgreSql) : IAsyncDisposable
{
    private readonly DbBatch? _batch = postgreSql ? connection.CreateBatch() : null;

    /// <summary>Runs <paramref name="command"/> now (SQLite) or queues it with its parameters' current values (PostgreSQL).</summary>
    public async Task RunAsync(DbCommand command, CancellationToken cancellationToken)
    {
        if (_batch is null)
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
            return;
        }
        var queued = _batch.CreateBatchCommand();
        queued.CommandText = command.CommandText;
        foreach (DbParameter parameter in command.Parameters)
        {
            var copy = command.CreateParameter();
            copy.ParameterName = parameter.ParameterName;
            copy.Value = parameter.Value ?? DBNull.Value;
            queued.Parameters.Add(copy);
        }
        _batch.BatchCommands.Add(queued);
    }

    /// <summary>Sends what is queued (PostgreSQL), in one round trip inside the store's transaction.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_batch is not { BatchCommands.Count: > 0 })
            return;
        _batch.Connection = connection;
        _batch.Transaction = transaction;
        await _batch.ExecuteNonQueryAsync(cancellationToken);
        _batch.BatchCommands.Clear();
    }

    public ValueTask DisposeAsync() => _batch?.DisposeAsync() ?? ValueTask.CompletedTask;
}
