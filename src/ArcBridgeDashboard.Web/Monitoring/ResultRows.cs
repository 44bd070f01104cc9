using System.Data.Common;
using System.Text.Json;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace ArcBridgeDashboard.Web.Monitoring;

/// <summary>
/// The rows of a batch, written with prepared SQL inside the store's transaction: each result, the latest result per
/// agent × target (a late, older result never replaces a newer one), a state change whenever the verdict changes, and
/// the hourly and daily roll-ups; one statement per row, the derived rows computed once per batch. Remote agents send thousands
/// of results a second; per-row change tracking cannot keep up with that.
/// </summary>
internal static class ResultRows
{
    public sealed record Item(int TargetId, long? SweepId, ProbeResult Result);

    public static async Task WriteAsync(ArcBridgeDbContext db, int agentId, IReadOnlyList<Item> items, CancellationToken cancellationToken)
    {
        if (items.Count == 0)
            return;
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        var transaction = (SqliteTransaction)db.Database.CurrentTransaction!.GetDbTransaction();
        var rowIds = await InsertResultsAsync(connection, transaction, agentId, items, cancellationToken);
        await UpsertRollupsAsync(connection, transaction, agentId, items, cancellationToken);
        await UpsertDailyRollupsAsync(connection, transaction, agentId, items, cancellationToken);
        await UpdateLatestAsync(connection, transaction, agentId, items, rowIds, cancellationToken);
    }

    private static async Task<long[]> InsertResultsAsync(SqliteConnection connection, SqliteTransaction transaction, int agentId, IReadOnlyList<Item> items, CancellationToken cancellationToken)
    {
        await using var insert = Command(connection, transaction, """
            INSERT INTO Results (ResultId, SweepId, AgentId, TargetId, StartedAt, Verdict, Phase, Reason, Message, Remedy, TotalMs, TimingsJson, DetailsJson)
            VALUES ($id, $sweep, $agent, $target, $at, $verdict, $phase, $reason, $message, $remedy, $total, $timings, $details) RETURNING Id
            """);
        var p = Parameters(insert, "$id", "$sweep", "$agent", "$target", "$at", "$verdict", "$phase", "$reason", "$message", "$remedy", "$total", "$timings", "$details");
        p["$agent"].Value = agentId;
        var rowIds = new long[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            var (targetId, sweepId, r) = items[i];
            p["$id"].Value = r.Id.ToString().ToUpperInvariant(); // EF's Guid-as-TEXT format
            p["$sweep"].Value = sweepId is { } id ? id : DBNull.Value;
            p["$target"].Value = targetId;
            p["$at"].Value = r.StartedAt.ToUnixTimeMilliseconds();
            p["$verdict"].Value = (int)r.Verdict;
            p["$phase"].Value = (int)r.Phase;
            p["$reason"].Value = (int)r.Reason;
            p["$message"].Value = r.Message;
            p["$remedy"].Value = r.Remedy;
            p["$total"].Value = TotalOf(r);
            p["$timings"].Value = JsonSerializer.Serialize(r.TimingsMs, ProbeJson.Options);
            p["$details"].Value = JsonSerializer.Serialize(r.Details, ProbeJson.Options);
            rowIds[i] = (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
        }
        return rowIds;
    }

    private static async Task UpsertRollupsAsync(SqliteConnection connection, SqliteTransaction transaction, int agentId, IReadOnlyList<Item> items, CancellationToken cancellationToken)
    {
        await using var upsert = Command(connection, transaction, """
            INSERT INTO HourlyRollups (TargetId, AgentId, HourStart, Count, PassCount, WarnCount, FailCount, SumTotalMs, MaxTotalMs)
            VALUES ($target, $agent, $hour, $count, $pass, $warn, $fail, $sum, $max)
            ON CONFLICT (TargetId, AgentId, HourStart) DO UPDATE SET
                Count = Count + excluded.Count, PassCount = PassCount + excluded.PassCount, WarnCount = WarnCount + excluded.WarnCount,
                FailCount = FailCount + excluded.FailCount, SumTotalMs = SumTotalMs + excluded.SumTotalMs, MaxTotalMs = max(MaxTotalMs, excluded.MaxTotalMs)
            """);
        var p = Parameters(upsert, "$target", "$agent", "$hour", "$count", "$pass", "$warn", "$fail", "$sum", "$max");
        p["$agent"].Value = agentId;
        foreach (var hour in items.GroupBy(i => (i.TargetId, Hour: i.Result.StartedAt.ToUnixTimeMilliseconds() / 3_600_000 * 3_600_000)))
        {
            p["$target"].Value = hour.Key.TargetId;
            p["$hour"].Value = hour.Key.Hour;
            p["$count"].Value = hour.Count();
            p["$pass"].Value = hour.Count(i => i.Result.Verdict == Verdict.Pass);
            p["$warn"].Value = hour.Count(i => i.Result.Verdict == Verdict.Warn);
            p["$fail"].Value = hour.Count(i => i.Result.Verdict == Verdict.Fail);
            p["$sum"].Value = hour.Sum(i => TotalOf(i.Result));
            p["$max"].Value = hour.Max(i => TotalOf(i.Result));
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>
    /// The day's counters grow by exactly what the hourly roll-ups grow by (the same new results of the same batch, in the
    /// same transaction), so a day always equals the sum of its hours while those are kept; a re-sent result is not new
    /// (its raw row is found by id, see <see cref="ResultStore"/>) and a late one lands in its own day. The masks are ORed.
    /// </summary>
    private static async Task UpsertDailyRollupsAsync(SqliteConnection connection, SqliteTransaction transaction, int agentId, IReadOnlyList<Item> items, CancellationToken cancellationToken)
    {
        await using var upsert = Command(connection, transaction, """
            INSERT INTO DailyRollups (TargetId, AgentId, DayStart, Count, PassCount, WarnCount, FailCount, SumTotalMs, MaxTotalMs, HourMask, FailMask)
            VALUES ($target, $agent, $day, $count, $pass, $warn, $fail, $sum, $max, $hours, $failing)
            ON CONFLICT (TargetId, AgentId, DayStart) DO UPDATE SET
                Count = Count + excluded.Count, PassCount = PassCount + excluded.PassCount, WarnCount = WarnCount + excluded.WarnCount,
                FailCount = FailCount + excluded.FailCount, SumTotalMs = SumTotalMs + excluded.SumTotalMs, MaxTotalMs = max(MaxTotalMs, excluded.MaxTotalMs),
                HourMask = HourMask | excluded.HourMask, FailMask = FailMask | excluded.FailMask
            """);
        var p = Parameters(upsert, "$target", "$agent", "$day", "$count", "$pass", "$warn", "$fail", "$sum", "$max", "$hours", "$failing");
        p["$agent"].Value = agentId;
        foreach (var day in items.GroupBy(i => (i.TargetId, Day: DayOf(i.Result.StartedAt))))
        {
            p["$target"].Value = day.Key.TargetId;
            p["$day"].Value = day.Key.Day;
            p["$count"].Value = day.Count();
            p["$pass"].Value = day.Count(i => i.Result.Verdict == Verdict.Pass);
            p["$warn"].Value = day.Count(i => i.Result.Verdict == Verdict.Warn);
            p["$fail"].Value = day.Count(i => i.Result.Verdict == Verdict.Fail);
            p["$sum"].Value = day.Sum(i => TotalOf(i.Result));
            p["$max"].Value = day.Max(i => TotalOf(i.Result));
            p["$hours"].Value = day.Aggregate(0, (mask, i) => mask | HourBit(i.Result.StartedAt));
            p["$failing"].Value = day.Where(i => i.Result.Verdict == Verdict.Fail).Aggregate(0, (mask, i) => mask | HourBit(i.Result.StartedAt));
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private const long DayMs = 86_400_000;

    /// <summary>Midnight UTC of the result's day, in the stored form (Unix milliseconds).</summary>
    private static long DayOf(DateTimeOffset at) => Math.DivRem(at.ToUnixTimeMilliseconds(), DayMs, out var rest) * DayMs - (rest < 0 ? DayMs : 0);

    /// <summary>Bit h of a <see cref="DailyRollup"/> mask: the UTC hour of the day.</summary>
    internal static int HourBit(DateTimeOffset at) => 1 << at.UtcDateTime.Hour;

    /// <summary>Per target: walk the batch in time order from the stored latest row, record verdict changes, keep the newest.</summary>
    private static async Task UpdateLatestAsync(SqliteConnection connection, SqliteTransaction transaction, int agentId, IReadOnlyList<Item> items, long[] rowIds, CancellationToken cancellationToken)
    {
        var current = await LoadLatestAsync(connection, transaction, agentId, cancellationToken);
        await using var change = Command(connection, transaction, """
            INSERT INTO StateChanges (AgentId, TargetId, At, "From", "To", Phase, Reason, Message) VALUES ($agent, $target, $at, $from, $to, $phase, $reason, $message)
            """);
        var c = Parameters(change, "$agent", "$target", "$at", "$from", "$to", "$phase", "$reason", "$message");
        c["$agent"].Value = agentId;
        await using var upsert = Command(connection, transaction, """
            INSERT INTO LatestResults (AgentId, TargetId, ResultRowId, StartedAt, Verdict, Phase, Reason, Message, Remedy, TotalMs, StateSince)
            VALUES ($agent, $target, $row, $at, $verdict, $phase, $reason, $message, $remedy, $total, $since)
            ON CONFLICT (AgentId, TargetId) DO UPDATE SET ResultRowId = excluded.ResultRowId, StartedAt = excluded.StartedAt,
                Verdict = excluded.Verdict, Phase = excluded.Phase, Reason = excluded.Reason, Message = excluded.Message,
                Remedy = excluded.Remedy, TotalMs = excluded.TotalMs, StateSince = excluded.StateSince
            """);
        var u = Parameters(upsert, "$agent", "$target", "$row", "$at", "$verdict", "$phase", "$reason", "$message", "$remedy", "$total", "$since");
        u["$agent"].Value = agentId;
        foreach (var target in Enumerable.Range(0, items.Count).GroupBy(i => items[i].TargetId))
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
                    c["$target"].Value = target.Key;
                    c["$at"].Value = r.StartedAt.ToUnixTimeMilliseconds();
                    c["$from"].Value = state is null ? DBNull.Value : (int)state.Verdict;
                    c["$to"].Value = (int)r.Verdict;
                    c["$phase"].Value = (int)r.Phase;
                    c["$reason"].Value = (int)r.Reason;
                    c["$message"].Value = r.Message;
                    await change.ExecuteNonQueryAsync(cancellationToken);
                    state = new LatestState(r.Verdict, r.StartedAt, r.StartedAt, i);
                }
                else
                    state = state with { At = r.StartedAt, Index = i };
                changed = true;
            }
            if (!changed || state is null)
                continue;
            var newest = items[state.Index].Result;
            u["$target"].Value = target.Key;
            u["$row"].Value = rowIds[state.Index];
            u["$at"].Value = newest.StartedAt.ToUnixTimeMilliseconds();
            u["$verdict"].Value = (int)newest.Verdict;
            u["$phase"].Value = (int)newest.Phase;
            u["$reason"].Value = (int)newest.Reason;
            u["$message"].Value = newest.Message;
            u["$remedy"].Value = newest.Remedy;
            u["$total"].Value = TotalOf(newest);
            u["$since"].Value = state.Since.ToUnixTimeMilliseconds();
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static async Task<Dictionary<int, LatestState>> LoadLatestAsync(SqliteConnection connection, SqliteTransaction transaction, int agentId, CancellationToken cancellationToken)
    {
        await using var select = Command(connection, transaction, "SELECT TargetId, Verdict, StartedAt, StateSince FROM LatestResults WHERE AgentId = $agent");
        select.Parameters.AddWithValue("$agent", agentId);
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

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private static Dictionary<string, DbParameter> Parameters(SqliteCommand command, params string[] names)
    {
        var map = new Dictionary<string, DbParameter>();
        foreach (var name in names)
        {
            // No SqliteType: the binder picks INTEGER/REAL/TEXT/NULL from each value.
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
