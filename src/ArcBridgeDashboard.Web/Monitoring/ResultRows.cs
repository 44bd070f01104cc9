using System.Data.Common;
using System.Text.Json;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace ArcBridgeDashboard.Web.Monitoring;

/// <summary>
/// The rows of a batch, written with prepared SQL inside the store's transaction: each result, the latest result per
/// agent × target (a late, older result never replaces a newer one), a state change whenever the verdict changes, and
/// the hourly and daily roll-ups; one statement per row, the derived rows computed once per batch. Remote agents send thousands
/// of results a second; per-row change tracking cannot keep up with that. One SQL text serves both providers (quoted
/// identifiers, @parameters) except where they differ: on PostgreSQL the results go in as one INSERT … SELECT FROM
/// unnest(arrays) ON CONFLICT DO NOTHING (one round trip per batch; a result another replica stored meanwhile is skipped,
/// not doubled: the table is partitioned by day, so its unique index is ("ResultId", "StartedAt"), and the sending
/// agent is locked first, <see cref="LockAgentPostgreSqlAsync"/>), the derived rows' statements go out as one batch
/// (<see cref="StatementBatch"/>), and the roll-up's maximum is GREATEST. Groups are written in key order, so concurrent
/// batches (PostgreSQL stores several at once, see <see cref="IngestGate"/>) take their row locks in the same order.
/// </summary>
internal static class ResultRows
{
    public sealed record Item(int TargetId, long? SweepId, ProbeResult Result);

    /// <returns>The items stored (all of them, but on PostgreSQL those another replica stored in the meantime).</returns>
    public static async Task<IReadOnlyList<Item>> WriteAsync(ArcBridgeDbContext db, int agentId, IReadOnlyList<Item> items, CancellationToken cancellationToken)
    {
        if (items.Count == 0)
            return items;
        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction!.GetDbTransaction();
        var postgreSql = db.Database.IsNpgsql();
        long[] rowIds;
        if (postgreSql)
            (items, rowIds) = await InsertResultsPostgreSqlAsync(connection, transaction, agentId, items, cancellationToken);
        else
            rowIds = await InsertResultsAsync(connection, transaction, agentId, items, cancellationToken);
        await using var batch = new StatementBatch(connection, transaction, postgreSql);
        await UpsertRollupsAsync(connection, transaction, batch, agentId, items, postgreSql, cancellationToken);
        await UpsertDailyRollupsAsync(connection, transaction, batch, agentId, items, postgreSql, cancellationToken);
        await UpdateLatestAsync(connection, transaction, batch, agentId, items, rowIds, cancellationToken);
        await batch.FlushAsync(cancellationToken);
        return items;
    }

    /// <summary>
    /// PostgreSQL: takes a transaction-scoped advisory lock on the sending agent before the store looks for ids already
    /// stored. A partitioned table can only be unique on ("ResultId", "StartedAt"), and a remote agent's re-sent result may
    /// carry another start once moved onto the server's clock (the offset is measured per batch); a result id only ever
    /// comes from its own agent, so with the lock a replica storing the same batch at the same moment waits for the
    /// other's commit and then finds the ids stored: each result is stored once whatever its start. One lock per batch,
    /// not per result: the server's lock table holds max_locks_per_transaction × max_connections entries in all, which
    /// a lock per result of hundreds of concurrent batches would exhaust.
    /// </summary>
    public static async Task LockAgentPostgreSqlAsync(ArcBridgeDbContext db, int agentId, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        await using var command = Command(connection, db.Database.CurrentTransaction!.GetDbTransaction(),
            "SELECT pg_advisory_xact_lock(1095910002, @agent)");
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@agent";
        parameter.Value = agentId;
        command.Parameters.Add(parameter);
        await command.ExecuteScalarAsync(cancellationToken);
    }

    private const string ResultColumns =
        "\"ResultId\", \"SweepId\", \"AgentId\", \"TargetId\", \"StartedAt\", \"Verdict\", \"Phase\", \"Reason\", \"Message\", \"Remedy\", \"TotalMs\", \"TimingsJson\", \"DetailsJson\"";

    /// <summary>PostgreSQL: the whole batch in one statement; RETURNING names the rows actually inserted.</summary>
    private static async Task<(IReadOnlyList<Item> Items, long[] RowIds)> InsertResultsPostgreSqlAsync(DbConnection connection, DbTransaction transaction, int agentId, IReadOnlyList<Item> items, CancellationToken cancellationToken)
    {
        await using var insert = Command(connection, transaction, $"""
            INSERT INTO "Results" ({ResultColumns})
            SELECT id, sweep, @agent, target, at, verdict, phase, reason, message, remedy, total, timings, details
            FROM unnest(@id, @sweep, @target, @at, @verdict, @phase, @reason, @message, @remedy, @total, @timings, @details)
                AS r(id, sweep, target, at, verdict, phase, reason, message, remedy, total, timings, details)
            ON CONFLICT DO NOTHING
            RETURNING "ResultId", "Id"
            """);
        void Add<T>(string name, Func<Item, T> value)
        {
            var parameter = insert.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = items.Select(value).ToArray();
            insert.Parameters.Add(parameter);
        }
        Parameters(insert, "@agent")["@agent"].Value = agentId;
        Add("@id", i => i.Result.Id);
        Add("@sweep", i => i.SweepId);
        Add("@target", i => i.TargetId);
        Add("@at", i => i.Result.StartedAt.ToUnixTimeMilliseconds());
        Add("@verdict", i => (int)i.Result.Verdict);
        Add("@phase", i => (int)i.Result.Phase);
        Add("@reason", i => (int)i.Result.Reason);
        Add("@message", i => i.Result.Message);
        Add("@remedy", i => i.Result.Remedy);
        Add("@total", i => TotalOf(i.Result));
        Add("@timings", i => JsonSerializer.Serialize(i.Result.TimingsMs, ProbeJson.Options));
        Add("@details", i => JsonSerializer.Serialize(i.Result.Details, ProbeJson.Options));
        var inserted = new Dictionary<Guid, long>(items.Count);
        await using (var reader = await insert.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
                inserted[reader.GetGuid(0)] = reader.GetInt64(1);
        }
        if (inserted.Count == items.Count)
            return (items, [.. items.Select(i => inserted[i.Result.Id])]);
        var kept = items.Where(i => inserted.ContainsKey(i.Result.Id)).ToList();
        return (kept, [.. kept.Select(i => inserted[i.Result.Id])]);
    }

    private static async Task<long[]> InsertResultsAsync(DbConnection connection, DbTransaction transaction, int agentId, IReadOnlyList<Item> items, CancellationToken cancellationToken)
    {
        await using var insert = Command(connection, transaction, $"""
            INSERT INTO "Results" ({ResultColumns})
            VALUES (@id, @sweep, @agent, @target, @at, @verdict, @phase, @reason, @message, @remedy, @total, @timings, @details) RETURNING "Id"
            """);
        var p = Parameters(insert, "@id", "@sweep", "@agent", "@target", "@at", "@verdict", "@phase", "@reason", "@message", "@remedy", "@total", "@timings", "@details");
        p["@agent"].Value = agentId;
        var rowIds = new long[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            var (targetId, sweepId, r) = items[i];
            p["@id"].Value = r.Id.ToString().ToUpperInvariant(); // EF's Guid-as-TEXT format on SQLite
            p["@sweep"].Value = sweepId is { } id ? id : DBNull.Value;
            p["@target"].Value = targetId;
            p["@at"].Value = r.StartedAt.ToUnixTimeMilliseconds();
            p["@verdict"].Value = (int)r.Verdict;
            p["@phase"].Value = (int)r.Phase;
            p["@reason"].Value = (int)r.Reason;
            p["@message"].Value = r.Message;
            p["@remedy"].Value = r.Remedy;
            p["@total"].Value = TotalOf(r);
            p["@timings"].Value = JsonSerializer.Serialize(r.TimingsMs, ProbeJson.Options);
            p["@details"].Value = JsonSerializer.Serialize(r.Details, ProbeJson.Options);
            rowIds[i] = Convert.ToInt64(await insert.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        }
        return rowIds;
    }

    private static async Task UpsertRollupsAsync(DbConnection connection, DbTransaction transaction, StatementBatch batch, int agentId, IReadOnlyList<Item> items, bool postgreSql, CancellationToken cancellationToken)
    {
        await using var upsert = Command(connection, transaction, $"""
            INSERT INTO "HourlyRollups" AS h ("TargetId", "AgentId", "HourStart", "Count", "PassCount", "WarnCount", "FailCount", "SumTotalMs", "MaxTotalMs")
            VALUES (@target, @agent, @hour, @count, @pass, @warn, @fail, @sum, @max)
            ON CONFLICT ("TargetId", "AgentId", "HourStart") DO UPDATE SET
                "Count" = h."Count" + excluded."Count", "PassCount" = h."PassCount" + excluded."PassCount", "WarnCount" = h."WarnCount" + excluded."WarnCount",
                "FailCount" = h."FailCount" + excluded."FailCount", "SumTotalMs" = h."SumTotalMs" + excluded."SumTotalMs",
                "MaxTotalMs" = {(postgreSql ? "GREATEST" : "max")}(h."MaxTotalMs", excluded."MaxTotalMs")
            """);
        var p = Parameters(upsert, "@target", "@agent", "@hour", "@count", "@pass", "@warn", "@fail", "@sum", "@max");
        p["@agent"].Value = agentId;
        foreach (var hour in items.GroupBy(i => (i.TargetId, Hour: i.Result.StartedAt.ToUnixTimeMilliseconds() / 3_600_000 * 3_600_000)).OrderBy(g => g.Key))
        {
            p["@target"].Value = hour.Key.TargetId;
            p["@hour"].Value = hour.Key.Hour;
            SetCounters(p, hour);
            await batch.RunAsync(upsert, cancellationToken);
        }
    }

    /// <summary>
    /// The day's counters grow by exactly what the hourly roll-ups grow by (the same new results of the same batch, in the
    /// same transaction), so a day always equals the sum of its hours while those are kept; a re-sent result is not new
    /// (its raw row is found by id, see <see cref="ResultStore"/>) and a late one lands in its own day. The masks are ORed.
    /// </summary>
    private static async Task UpsertDailyRollupsAsync(DbConnection connection, DbTransaction transaction, StatementBatch batch, int agentId, IReadOnlyList<Item> items, bool postgreSql, CancellationToken cancellationToken)
    {
        await using var upsert = Command(connection, transaction, $"""
            INSERT INTO "DailyRollups" AS d ("TargetId", "AgentId", "DayStart", "Count", "PassCount", "WarnCount", "FailCount", "SumTotalMs", "MaxTotalMs", "HourMask", "FailMask")
            VALUES (@target, @agent, @day, @count, @pass, @warn, @fail, @sum, @max, @hours, @failing)
            ON CONFLICT ("TargetId", "AgentId", "DayStart") DO UPDATE SET
                "Count" = d."Count" + excluded."Count", "PassCount" = d."PassCount" + excluded."PassCount", "WarnCount" = d."WarnCount" + excluded."WarnCount",
                "FailCount" = d."FailCount" + excluded."FailCount", "SumTotalMs" = d."SumTotalMs" + excluded."SumTotalMs",
                "MaxTotalMs" = {(postgreSql ? "GREATEST" : "max")}(d."MaxTotalMs", excluded."MaxTotalMs"),
                "HourMask" = d."HourMask" | excluded."HourMask", "FailMask" = d."FailMask" | excluded."FailMask"
            """);
        var p = Parameters(upsert, "@target", "@agent", "@day", "@count", "@pass", "@warn", "@fail", "@sum", "@max", "@hours", "@failing");
        p["@agent"].Value = agentId;
        foreach (var day in items.GroupBy(i => (i.TargetId, Day: ResultPartitions.DayOf(i.Result.StartedAt))).OrderBy(g => g.Key))
        {
            p["@target"].Value = day.Key.TargetId;
            p["@day"].Value = day.Key.Day;
            SetCounters(p, day);
            p["@hours"].Value = day.Aggregate(0, (mask, i) => mask | HourBit(i.Result.StartedAt));
            p["@failing"].Value = day.Where(i => i.Result.Verdict == Verdict.Fail).Aggregate(0, (mask, i) => mask | HourBit(i.Result.StartedAt));
            await batch.RunAsync(upsert, cancellationToken);
        }
    }

    /// <summary>Bit h of a <see cref="DailyRollup"/> mask: the UTC hour of the day.</summary>
    internal static int HourBit(DateTimeOffset at) => 1 << at.UtcDateTime.Hour;

    /// <summary>The counters both roll-ups add up: results by verdict, and the sum and maximum of their total time.</summary>
    private static void SetCounters(Dictionary<string, DbParameter> p, IEnumerable<Item> group)
    {
        p["@count"].Value = group.Count();
        p["@pass"].Value = group.Count(i => i.Result.Verdict == Verdict.Pass);
        p["@warn"].Value = group.Count(i => i.Result.Verdict == Verdict.Warn);
        p["@fail"].Value = group.Count(i => i.Result.Verdict == Verdict.Fail);
        p["@sum"].Value = group.Sum(i => TotalOf(i.Result));
        p["@max"].Value = group.Max(i => TotalOf(i.Result));
    }

    /// <summary>Per target: walk the batch in time order from the stored latest row, record verdict changes, keep the newest.</summary>
    private static async Task UpdateLatestAsync(DbConnection connection, DbTransaction transaction, StatementBatch batch, int agentId, IReadOnlyList<Item> items, long[] rowIds, CancellationToken cancellationToken)
    {
        var current = await LoadLatestAsync(connection, transaction, agentId, cancellationToken);
        await using var change = Command(connection, transaction, """
            INSERT INTO "StateChanges" ("AgentId", "TargetId", "At", "From", "To", "Phase", "Reason", "Message") VALUES (@agent, @target, @at, @from, @to, @phase, @reason, @message)
            """);
        var c = Parameters(change, "@agent", "@target", "@at", "@from", "@to", "@phase", "@reason", "@message");
        c["@agent"].Value = agentId;
        await using var upsert = Command(connection, transaction, """
            INSERT INTO "LatestResults" ("AgentId", "TargetId", "ResultRowId", "StartedAt", "Verdict", "Phase", "Reason", "Message", "Remedy", "TotalMs", "StateSince")
            VALUES (@agent, @target, @row, @at, @verdict, @phase, @reason, @message, @remedy, @total, @since)
            ON CONFLICT ("AgentId", "TargetId") DO UPDATE SET "ResultRowId" = excluded."ResultRowId", "StartedAt" = excluded."StartedAt",
                "Verdict" = excluded."Verdict", "Phase" = excluded."Phase", "Reason" = excluded."Reason", "Message" = excluded."Message",
                "Remedy" = excluded."Remedy", "TotalMs" = excluded."TotalMs", "StateSince" = excluded."StateSince"
            """);
        var u = Parameters(upsert, "@agent", "@target", "@row", "@at", "@verdict", "@phase", "@reason", "@message", "@remedy", "@total", "@since");
        u["@agent"].Value = agentId;
        foreach (var target in Enumerable.Range(0, items.Count).GroupBy(i => items[i].TargetId).OrderBy(g => g.Key))
        {
            var state = current.GetValueOrDefault(target.Key);
            var changed = false;
            foreach (var i in target.OrderBy(i => items[i].Result.StartedAt))
            {
                var r = items[i].Result;
                if (state is not null && state.At > r.StartedAt)
                    continue; // a late, older result never replaces a newer one
                if (state is null || state.Verdict != r.Verdict)
                {
                    c["@target"].Value = target.Key;
                    c["@at"].Value = r.StartedAt.ToUnixTimeMilliseconds();
                    c["@from"].Value = state is null ? DBNull.Value : (int)state.Verdict;
                    c["@to"].Value = (int)r.Verdict;
                    c["@phase"].Value = (int)r.Phase;
                    c["@reason"].Value = (int)r.Reason;
                    c["@message"].Value = r.Message;
                    await batch.RunAsync(change, cancellationToken);
                    state = new LatestState(r.Verdict, r.StartedAt, r.StartedAt, i);
                }
                else
                    state = state with { At = r.StartedAt, Index = i };
                changed = true;
            }
            if (!changed || state is null)
                continue;
            var newest = items[state.Index].Result;
            u["@target"].Value = target.Key;
            u["@row"].Value = rowIds[state.Index];
            u["@at"].Value = newest.StartedAt.ToUnixTimeMilliseconds();
            u["@verdict"].Value = (int)newest.Verdict;
            u["@phase"].Value = (int)newest.Phase;
            u["@reason"].Value = (int)newest.Reason;
            u["@message"].Value = newest.Message;
            u["@remedy"].Value = newest.Remedy;
            u["@total"].Value = TotalOf(newest);
            u["@since"].Value = state.Since.ToUnixTimeMilliseconds();
            await batch.RunAsync(upsert, cancellationToken);
        }
    }

    private static async Task<Dictionary<int, LatestState>> LoadLatestAsync(DbConnection connection, DbTransaction transaction, int agentId, CancellationToken cancellationToken)
    {
        await using var select = Command(connection, transaction, "SELECT \"TargetId\", \"Verdict\", \"StartedAt\", \"StateSince\" FROM \"LatestResults\" WHERE \"AgentId\" = @agent");
        Parameters(select, "@agent")["@agent"].Value = agentId;
        var map = new Dictionary<int, LatestState>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            map[reader.GetInt32(0)] = new LatestState((Verdict)reader.GetInt32(1),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)), -1);
        }
        return map;
    }

    public static double TotalOf(ProbeResult r) => r.TimingsMs.TryGetValue("total", out var total) ? total : r.TimingsMs.Values.Sum();

    private static DbCommand Command(DbConnection connection, DbTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private static Dictionary<string, DbParameter> Parameters(DbCommand command, params string[] names)
    {
        var map = new Dictionary<string, DbParameter>();
        foreach (var name in names)
        {
            // No type: SQLite binds INTEGER/REAL/TEXT/NULL from each value, Npgsql maps int/long/double/string/bool/Guid.
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            command.Parameters.Add(parameter);
            map[name] = parameter;
        }
        return map;
    }

    /// <summary>Index: position in the batch of the newest result (-1: the stored row).</summary>
    private sealed record LatestState(Verdict Verdict, DateTimeOffset At, DateTimeOffset Since, int Index);
}
