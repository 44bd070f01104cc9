using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ArcBridgeDashboard.Web.Data;

/// <summary>
/// Per-connection pragmas: wait for a busy writer instead of failing at once (the scheduler, ingest and retention
/// write concurrently), and NORMAL sync which is safe with WAL. WAL itself is persistent and set once at startup.
/// </summary>
public sealed class SqlitePragmaInterceptor : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA busy_timeout=10000; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
