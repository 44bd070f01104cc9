using System.Data.Common;
using ArcBridgeDashboard.Web.Configuration;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace ArcBridgeDashboard.Web.Data;

/// <summary>
/// Per-connection pragmas: wait for a busy writer instead of failing at once (the scheduler, ingest and retention
/// write concurrently), and synchronous=FULL by default. Results are acknowledged to agents after the commit and then
/// deleted from their outbox, so the commit must survive a power loss: in WAL mode only FULL syncs the WAL at each
/// commit (NORMAL syncs it at checkpoints only). WAL itself is persistent and set once at startup.
/// </summary>
public sealed class SqlitePragmaInterceptor(IOptions<ArcBridgeOptions> options) : DbConnectionInterceptor
{
    private readonly string _pragmas =
        $"PRAGMA busy_timeout=10000; PRAGMA synchronous={options.Value.SqliteSynchronous.ToString().ToUpperInvariant()}; PRAGMA foreign_keys=ON;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = _pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = _pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
