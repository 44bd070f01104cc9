using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Monitoring;
using Microsoft.Data.Sqlite;

namespace ArcBridgeDashboard.Bench.Seed;

/// <summary>Where the seeder's rows go: a SQLite file (<see cref="HistoryWriter"/>) or a PostgreSQL database (<see cref="PgHistoryWriter"/>).</summary>
public interface IHistoryWriter : IDisposable
{
    int IndexCount { get; }
    void Sweep(long id, int agentId, long startedAt, long finishedAt, int count, int pass, int warn, int fail);
    void Result(long id, Guid resultId, long sweepId, int agentId, int targetId, long startedAt, in Outcome o);
    void Rollup(int targetId, int agentId, long hourStart, int count, int pass, int warn, int fail, double sumMs, double maxMs);
    void StateChange(int agentId, int targetId, long at, Verdict? from, in Outcome o);
    void Latest(int agentId, int targetId, long resultRowId, long startedAt, in Outcome o, long stateSince);
    void Commit();
    TimeSpan Finish();
}

/// <summary>
/// Writes sweeps, results, hourly roll-ups, state changes and latest rows with prepared statements in large
/// transactions, and the daily roll-ups from the hourly ones at the end (the dashboard's own backfill SQL). Secondary indexes of the bulk tables are dropped first and rebuilt from their own DDL at the end
/// (one sort instead of millions of random B-tree inserts).
/// </summary>
public sealed class HistoryWriter : IHistoryWriter
{
    private static readonly string[] BulkTables = ["Results", "Sweeps", "StateChanges", "HourlyRollups", "DailyRollups"];
    private readonly SqliteConnection _connection;
    private readonly List<string> _indexDdl = [];
    private SqliteTransaction? _transaction;
    private SqliteCommand _result = null!, _sweep = null!, _rollup = null!, _change = null!;

    // Foreign keys are off during the load: a sweep row is written after its results (its counts need them).
    public HistoryWriter(string path)
    {
        _connection = new SqliteConnection($"Data Source={path};Pooling=False");
        _connection.Open();
        Exec("PRAGMA foreign_keys=OFF; PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-1048576; PRAGMA temp_store=MEMORY; PRAGMA locking_mode=EXCLUSIVE;");
        using (var list = _connection.CreateCommand())
        {
            list.CommandText = $"SELECT name, sql FROM sqlite_master WHERE type='index' AND sql IS NOT NULL AND tbl_name IN ({string.Join(",", BulkTables.Select(t => $"'{t}'"))})";
            using var reader = list.ExecuteReader();
            var names = new List<string>();
            while (reader.Read()) { names.Add(reader.GetString(0)); _indexDdl.Add(reader.GetString(1)); }
            reader.Close();
            foreach (var name in names) Exec($"DROP INDEX \"{name}\"");
        }
        Begin();
    }

    public int IndexCount => _indexDdl.Count;

    public void Sweep(long id, int agentId, long startedAt, long finishedAt, int count, int pass, int warn, int fail)
        => Run(_sweep, id, agentId, "Schedule", startedAt, finishedAt, count, pass, warn, fail);

    public void Result(long id, Guid resultId, long sweepId, int agentId, int targetId, long startedAt, in Outcome o)
        => Run(_result, id, resultId.ToString().ToUpperInvariant(), sweepId, agentId, targetId, startedAt, (int)o.Verdict, (int)o.Phase, (int)o.Reason, o.Message, o.Remedy, o.TotalMs, o.TimingsJson, o.DetailsJson);

    public void Rollup(int targetId, int agentId, long hourStart, int count, int pass, int warn, int fail, double sumMs, double maxMs)
        => Run(_rollup, targetId, agentId, hourStart, count, pass, warn, fail, sumMs, maxMs);

    public void StateChange(int agentId, int targetId, long at, Verdict? from, in Outcome o)
        => Run(_change, agentId, targetId, at, from is null ? DBNull.Value : (int)from.Value, (int)o.Verdict, (int)o.Phase, (int)o.Reason, o.Message);

    public void Latest(int agentId, int targetId, long resultRowId, long startedAt, in Outcome o, long stateSince)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = """
            INSERT INTO LatestResults (AgentId, TargetId, ResultRowId, StartedAt, Verdict, Phase, Reason, Message, Remedy, TotalMs, StateSince)
            VALUES ($a, $t, $r, $s, $v, $p, $re, $m, $rm, $ms, $ss)
            """;
        object[] values = [agentId, targetId, resultRowId, startedAt, (int)o.Verdict, (int)o.Phase, (int)o.Reason, o.Message, o.Remedy, o.TotalMs, stateSince];
        string[] names = ["$a", "$t", "$r", "$s", "$v", "$p", "$re", "$m", "$rm", "$ms", "$ss"];
        for (var i = 0; i < names.Length; i++) command.Parameters.AddWithValue(names[i], values[i]);
        command.ExecuteNonQuery();
    }

    /// <summary>Commits the running transaction and starts the next one (keeps each transaction's memory bounded).</summary>
    public void Commit()
    {
        _transaction!.Commit();
        DisposeCommands();
        _transaction.Dispose();
        Begin();
    }

    /// <summary>Commits, builds the daily roll-ups, rebuilds the dropped indexes, refreshes planner statistics and switches to WAL like the app does.</summary>
    public TimeSpan Finish()
    {
        _transaction!.Commit();
        _transaction.Dispose();
        _transaction = null;
        DisposeCommands();
        var started = System.Diagnostics.Stopwatch.StartNew();
        Exec(DailyRollupBackfill.FromHourlySql);
        foreach (var ddl in _indexDdl) Exec(ddl);
        Exec("ANALYZE;");
        Exec("PRAGMA locking_mode=NORMAL; PRAGMA journal_mode=WAL;");
        return started.Elapsed;
    }

    public void Dispose()
    {
        DisposeCommands();
        _transaction?.Dispose();
        _connection.Dispose();
    }

    private void Begin()
    {
        _transaction = _connection.BeginTransaction();
        _result = Prepare("INSERT INTO Results (Id, ResultId, SweepId, AgentId, TargetId, StartedAt, Verdict, Phase, Reason, Message, Remedy, TotalMs, TimingsJson, DetailsJson) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14)", 14);
        _sweep = Prepare("INSERT INTO Sweeps (Id, AgentId, \"Trigger\", StartedAt, FinishedAt, TargetCount, PassCount, WarnCount, FailCount) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)", 9);
        _rollup = Prepare("INSERT INTO HourlyRollups (TargetId, AgentId, HourStart, Count, PassCount, WarnCount, FailCount, SumTotalMs, MaxTotalMs) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)", 9);
        _change = Prepare("INSERT INTO StateChanges (AgentId, TargetId, At, \"From\", \"To\", Phase, Reason, Message) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)", 8);
    }

    private SqliteCommand Prepare(string sql, int parameterCount)
    {
        var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = sql;
        for (var i = 1; i <= parameterCount; i++) command.Parameters.Add(new SqliteParameter($"${i}", null));
        command.Prepare();
        return command;
    }

    private static void Run(SqliteCommand command, params object[] values)
    {
        for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i];
        command.ExecuteNonQuery();
    }

    private void DisposeCommands()
    {
        _result?.Dispose(); _sweep?.Dispose(); _rollup?.Dispose(); _change?.Dispose();
    }

    private void Exec(string sql)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
