using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace ArcBridgeDashboard.Web.Data;

/// <summary>
/// PostgreSQL keeps "Results" partitioned by UTC day on "StartedAt" (migration PartitionResultsByDay): one partition
/// "Results_yyyyMMdd" per day, and "Results_default" for a day without one, so an insert never fails. The leader prepares
/// today and the next <see cref="DaysAhead"/> days at start and every retention round, and retention detaches and drops
/// the partitions of days wholly older than the raw window instead of deleting their rows. SQLite has no partitions:
/// every method here does nothing there.
/// </summary>
public static class ResultPartitions
{
    /// <summary>Days after today whose partitions exist ahead of their results.</summary>
    public const int DaysAhead = 3;

    public const string DefaultPartition = "Results_default";

    public const long DayMs = 86_400_000;
    private const string Prefix = "Results_";

    /// <summary>Two-key advisory lock (a space of its own, apart from the leader lease's one-key lock): one maintainer at a time.</summary>
    internal const int LockClass = 0x41724272; // "ArBr"
    internal const int MaintenanceLock = 1;

    /// <summary>Midnight UTC of the day holding <paramref name="at"/>, in Unix milliseconds.</summary>
    public static long DayOf(DateTimeOffset at) => Math.DivRem(at.ToUnixTimeMilliseconds(), DayMs, out var rest) * DayMs - (rest < 0 ? DayMs : 0);

    /// <summary>The partition of the day starting at <paramref name="dayStart"/> (Unix milliseconds).</summary>
    public static string NameOf(long dayStart) => Prefix + DateTimeOffset.FromUnixTimeMilliseconds(dayStart).ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    /// <summary>True on PostgreSQL once the migration partitioned "Results".</summary>
    public static async Task<bool> IsPartitionedAsync(ArcBridgeDbContext db, CancellationToken cancellationToken)
    {
        if (!db.Database.IsNpgsql())
            return false;
        return await ScalarAsync(db, "SELECT EXISTS (SELECT 1 FROM pg_class WHERE oid = to_regclass('\"Results\"') AND relkind = 'p')", cancellationToken) is true;
    }

    /// <summary>The day partitions (not the default one), by the start of their day.</summary>
    public static async Task<SortedDictionary<long, string>> ListAsync(ArcBridgeDbContext db, CancellationToken cancellationToken)
    {
        var days = new SortedDictionary<long, string>();
        await OpenAsync(db, cancellationToken);
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText = "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = '\"Results\"'::regclass";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var name = reader.GetString(0);
            if (name.StartsWith(Prefix, StringComparison.Ordinal)
                && DateTimeOffset.TryParseExact(name[Prefix.Length..], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var day))
                days[day.ToUnixTimeMilliseconds()] = name;
        }
        return days;
    }

    /// <summary>Today's partition and the next <see cref="DaysAhead"/> days'. Returns the partitions it created.</summary>
    public static Task<IReadOnlyList<string>> PrepareAsync(ArcBridgeDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
        => EnsureAsync(db, [.. Enumerable.Range(0, DaysAhead + 1).Select(i => DayOf(now) + i * DayMs)], cancellationToken);

    /// <summary>
    /// Creates the partitions of the given days (Unix milliseconds of their midnights) that do not exist yet. Rows of such
    /// a day already in the default partition move into the new one in the same transaction (PostgreSQL refuses a
    /// partition whose rows sit in the default one). Returns the partitions it created.
    /// </summary>
    public static async Task<IReadOnlyList<string>> EnsureAsync(ArcBridgeDbContext db, IReadOnlyCollection<long> days, CancellationToken cancellationToken)
    {
        if (days.Count == 0 || !await IsPartitionedAsync(db, cancellationToken))
            return [];
        var created = new List<string>();
        foreach (var day in days.Distinct().Order())
        {
            var name = NameOf(day);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await ExecuteAsync(db, $"SET LOCAL lock_timeout = '5s'; SELECT pg_advisory_xact_lock({LockClass}, {MaintenanceLock})", cancellationToken);
            if (await ScalarAsync(db, $"SELECT to_regclass('\"{name}\"') IS NOT NULL", cancellationToken) is true)
                continue;
            // The parent first: creating a partition takes it exclusively anyway, and taking it before the default
            // partition keeps the lock order of an insert (parent, then partition), so the two cannot deadlock.
            await ExecuteAsync(db, $"""
                LOCK TABLE "Results" IN ACCESS EXCLUSIVE MODE;
                CREATE TEMP TABLE arcbridge_moved (LIKE "Results") ON COMMIT DROP;
                WITH moved AS (DELETE FROM "{DefaultPartition}" WHERE "StartedAt" >= {day} AND "StartedAt" < {day + DayMs} RETURNING *)
                    INSERT INTO arcbridge_moved SELECT * FROM moved;
                CREATE TABLE "{name}" PARTITION OF "Results" FOR VALUES FROM ({day}) TO ({day + DayMs});
                INSERT INTO "Results" SELECT * FROM arcbridge_moved;
                """, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            created.Add(name);
        }
        return created;
    }

    /// <summary>
    /// Detaches and drops every day partition whose whole day is before <paramref name="cutoffDay"/> (a UTC midnight in
    /// Unix milliseconds), one transaction each. Returns how many rows they held.
    /// </summary>
    public static async Task<int> DropBeforeAsync(ArcBridgeDbContext db, long cutoffDay, CancellationToken cancellationToken)
    {
        var rows = 0L;
        foreach (var (day, name) in await ListAsync(db, cancellationToken))
        {
            if (day + DayMs > cutoffDay)
                break;
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await ExecuteAsync(db, $"SET LOCAL lock_timeout = '5s'; SELECT pg_advisory_xact_lock({LockClass}, {MaintenanceLock})", cancellationToken);
            rows += Convert.ToInt64(await ScalarAsync(db, $"SELECT count(*) FROM \"{name}\"", cancellationToken), CultureInfo.InvariantCulture);
            await ExecuteAsync(db, $"ALTER TABLE \"Results\" DETACH PARTITION \"{name}\"; DROP TABLE \"{name}\"", cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        return (int)Math.Min(rows, int.MaxValue);
    }

    private static async Task OpenAsync(ArcBridgeDbContext db, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open)
            await db.Database.OpenConnectionAsync(cancellationToken);
    }

    private static async Task<object?> ScalarAsync(ArcBridgeDbContext db, string sql, CancellationToken cancellationToken)
    {
        await using var command = await CommandAsync(db, sql, cancellationToken);
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    private static async Task ExecuteAsync(ArcBridgeDbContext db, string sql, CancellationToken cancellationToken)
    {
        await using var command = await CommandAsync(db, sql, cancellationToken);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<DbCommand> CommandAsync(ArcBridgeDbContext db, string sql, CancellationToken cancellationToken)
    {
        await OpenAsync(db, cancellationToken);
        var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText = sql;
        return command;
    }
}
