using System.Diagnostics;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Data;
using ArcBridgeDashboard.Web.Monitoring;
using Npgsql;
using NpgsqlTypes;

namespace ArcBridgeDashboard.Bench.Seed;

/// <summary>
/// The PostgreSQL form of <see cref="HistoryWriter"/>: the same rows, streamed through binary COPY (Npgsql's
/// <see cref="NpgsqlBinaryImporter"/>), one connection per bulk table. Before the load the secondary indexes of the
/// bulk tables are dropped (their DDL read from pg_indexes, so whatever layout the migrations made is rebuilt as it was)
/// and foreign keys are not checked row by row (session_replication_role = replica; a sweep row follows its results, as
/// in the SQLite seeder). At the end: daily roll-ups from the hourly ones (the dashboard's own backfill SQL), the
/// indexes, the identity sequences moved past the seeded ids, and ANALYZE.
/// </summary>
public sealed class PgHistoryWriter : IHistoryWriter
{
    private static readonly string[] BulkTables = ["Results", "Sweeps", "StateChanges", "HourlyRollups", "DailyRollups"];
    private readonly string _connectionString;
    private readonly NpgsqlConnection _control;
    private readonly List<(string Name, string Ddl)> _indexes = [];
    private readonly List<(NpgsqlConnection Connection, NpgsqlBinaryImporter Copy)> _streams = [];
    private readonly NpgsqlBinaryImporter _results, _sweeps, _rollups, _changes;
    private readonly List<object[]> _latest = [];

    /// <param name="from">First seeded result; <paramref name="to"/>, the last.</param>
    public PgHistoryWriter(string connectionString, DateTimeOffset from, DateTimeOffset to)
    {
        _connectionString = connectionString;
        _control = Open();
        // A partition per seeded day and the days a start prepares, as a dashboard that ran those days has them. In the
        // default partition, every later partition step would scan all the seeded rows (a start then timed out).
        const long dayMs = ResultPartitions.DayMs;
        for (var day = ResultPartitions.DayOf(from); day <= ResultPartitions.DayOf(to) + ResultPartitions.DaysAhead * dayMs; day += dayMs)
            Exec(_control, $"CREATE TABLE IF NOT EXISTS \"{ResultPartitions.NameOf(day)}\" PARTITION OF \"Results\" FOR VALUES FROM ({day}) TO ({day + dayMs})");
        Exec(_control, "SET maintenance_work_mem = '1GB'; SET max_parallel_maintenance_workers = 2");
        var tables = string.Join(",", BulkTables.Select(t => $"'{t}'"));
        // Secondary indexes only: primary keys and unique constraints stay (the ids arrive in order: appends).
        using (var list = _control.CreateCommand())
        {
            list.CommandText = $"""
                SELECT i.indexname, i.indexdef FROM pg_indexes i
                WHERE i.schemaname = current_schema() AND i.tablename IN ({tables})
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
                """;
            using var reader = list.ExecuteReader();
            while (reader.Read()) _indexes.Add((reader.GetString(0), reader.GetString(1)));
        }
        foreach (var (name, _) in _indexes) Exec(_control, $"DROP INDEX \"{name}\"");
        _results = Begin("""COPY "Results" ("Id", "ResultId", "SweepId", "AgentId", "TargetId", "StartedAt", "Verdict", "Phase", "Reason", "Message", "Remedy", "TotalMs", "TimingsJson", "DetailsJson") FROM STDIN (FORMAT BINARY)""");
        _sweeps = Begin("""COPY "Sweeps" ("Id", "AgentId", "PassId", "Trigger", "StartedAt", "FinishedAt", "TargetCount", "PassCount", "WarnCount", "FailCount") FROM STDIN (FORMAT BINARY)""");
        _rollups = Begin("""COPY "HourlyRollups" ("TargetId", "AgentId", "HourStart", "Count", "PassCount", "WarnCount", "FailCount", "SumTotalMs", "MaxTotalMs") FROM STDIN (FORMAT BINARY)""");
        _changes = Begin("""COPY "StateChanges" ("AgentId", "TargetId", "At", "From", "To", "Phase", "Reason", "Message") FROM STDIN (FORMAT BINARY)""");
    }

    public int IndexCount => _indexes.Count;

    public void Sweep(long id, int agentId, long startedAt, long finishedAt, int count, int pass, int warn, int fail)
    {
        _sweeps.StartRow();
        _sweeps.Write(id, NpgsqlDbType.Bigint);
        _sweeps.Write(agentId, NpgsqlDbType.Integer);
        _sweeps.Write(Guid.CreateVersion7(DateTimeOffset.FromUnixTimeMilliseconds(startedAt)), NpgsqlDbType.Uuid);
        _sweeps.Write("Schedule", NpgsqlDbType.Varchar);
        _sweeps.Write(startedAt, NpgsqlDbType.Bigint);
        _sweeps.Write(finishedAt, NpgsqlDbType.Bigint);
        _sweeps.Write(count, NpgsqlDbType.Integer);
        _sweeps.Write(pass, NpgsqlDbType.Integer);
        _sweeps.Write(warn, NpgsqlDbType.Integer);
        _sweeps.Write(fail, NpgsqlDbType.Integer);
    }

    public void Result(long id, Guid resultId, long sweepId, int agentId, int targetId, long startedAt, in Outcome o)
    {
        _results.StartRow();
        _results.Write(id, NpgsqlDbType.Bigint);
        _results.Write(resultId, NpgsqlDbType.Uuid);
        _results.Write(sweepId, NpgsqlDbType.Bigint);
        _results.Write(agentId, NpgsqlDbType.Integer);
        _results.Write(targetId, NpgsqlDbType.Integer);
        _results.Write(startedAt, NpgsqlDbType.Bigint);
        _results.Write((int)o.Verdict, NpgsqlDbType.Integer);
        _results.Write((int)o.Phase, NpgsqlDbType.Integer);
        _results.Write((int)o.Reason, NpgsqlDbType.Integer);
        _results.Write(o.Message, NpgsqlDbType.Text);
        _results.Write(o.Remedy, NpgsqlDbType.Text);
        _results.Write(o.TotalMs, NpgsqlDbType.Double);
        _results.Write(o.TimingsJson, NpgsqlDbType.Text);
        _results.Write(o.DetailsJson, NpgsqlDbType.Text);
    }

    public void Rollup(int targetId, int agentId, long hourStart, int count, int pass, int warn, int fail, double sumMs, double maxMs)
    {
        _rollups.StartRow();
        _rollups.Write(targetId, NpgsqlDbType.Integer);
        _rollups.Write(agentId, NpgsqlDbType.Integer);
        _rollups.Write(hourStart, NpgsqlDbType.Bigint);
        _rollups.Write(count, NpgsqlDbType.Integer);
        _rollups.Write(pass, NpgsqlDbType.Integer);
        _rollups.Write(warn, NpgsqlDbType.Integer);
        _rollups.Write(fail, NpgsqlDbType.Integer);
        _rollups.Write(sumMs, NpgsqlDbType.Double);
        _rollups.Write(maxMs, NpgsqlDbType.Double);
    }

    public void StateChange(int agentId, int targetId, long at, Verdict? from, in Outcome o)
    {
        _changes.StartRow();
        _changes.Write(agentId, NpgsqlDbType.Integer);
        _changes.Write(targetId, NpgsqlDbType.Integer);
        _changes.Write(at, NpgsqlDbType.Bigint);
        if (from is { } f) _changes.Write((int)f, NpgsqlDbType.Integer); else _changes.WriteNull();
        _changes.Write((int)o.Verdict, NpgsqlDbType.Integer);
        _changes.Write((int)o.Phase, NpgsqlDbType.Integer);
        _changes.Write((int)o.Reason, NpgsqlDbType.Integer);
        _changes.Write(o.Message, NpgsqlDbType.Text);
    }

    public void Latest(int agentId, int targetId, long resultRowId, long startedAt, in Outcome o, long stateSince)
        => _latest.Add([agentId, targetId, resultRowId, startedAt, (int)o.Verdict, (int)o.Phase, (int)o.Reason, o.Message, o.Remedy, o.TotalMs, stateSince]);

    /// <summary>Nothing to do: each COPY is one statement (its memory is the server's, not ours).</summary>
    public void Commit()
    {
    }

    public TimeSpan Finish()
    {
        foreach (var (_, copy) in _streams) copy.Complete();
        foreach (var (connection, copy) in _streams)
        {
            copy.Dispose();
            connection.Dispose();
        }
        _streams.Clear();
        var started = Stopwatch.StartNew();
        using (var insert = _control.CreateCommand())
        {
            insert.CommandText = """
                INSERT INTO "LatestResults" ("AgentId", "TargetId", "ResultRowId", "StartedAt", "Verdict", "Phase", "Reason", "Message", "Remedy", "TotalMs", "StateSince")
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
                """;
            foreach (var row in _latest)
            {
                insert.Parameters.Clear();
                foreach (var value in row) insert.Parameters.Add(new NpgsqlParameter { Value = value });
                insert.ExecuteNonQuery();
            }
        }
        Exec(_control, DailyRollupBackfill.FromHourlySql);
        foreach (var (name, ddl) in _indexes)
        {
            var clock = Stopwatch.StartNew();
            // pg_indexes names a partitioned table's index "ON ONLY", which builds it on no partition: the results
            // table of a PostgreSQL seed would have had no secondary index at all.
            Exec(_control, ddl.Replace(" ON ONLY ", " ON ", StringComparison.Ordinal));
            Console.WriteLine($"seed: index {name} in {clock.Elapsed.TotalSeconds:0.0} s");
        }
        // The seeded ids were explicit: the app's next rows must continue after them.
        foreach (var table in new[] { "Results", "Sweeps", "StateChanges" })
            Exec(_control, $"""SELECT setval(pg_get_serial_sequence('"{table}"', 'Id'), GREATEST((SELECT MAX("Id") FROM "{table}"), 1))""");
        Exec(_control, "ANALYZE");
        return started.Elapsed;
    }

    public void Dispose()
    {
        foreach (var (connection, copy) in _streams)
        {
            copy.Dispose();
            connection.Dispose();
        }
        _control.Dispose();
    }

    private NpgsqlBinaryImporter Begin(string copy)
    {
        var connection = Open();
        // Foreign keys are enforced by triggers, which replica mode skips (a superuser setting: the bench's own cluster).
        Exec(connection, "SET session_replication_role = replica");
        var importer = connection.BeginBinaryImport(copy);
        _streams.Add((connection, importer));
        return importer;
    }

    private NpgsqlConnection Open()
    {
        var connection = new NpgsqlConnection(_connectionString + ";Pooling=false;Command Timeout=0");
        connection.Open();
        return connection;
    }

    private static void Exec(NpgsqlConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
