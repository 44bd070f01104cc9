using System.Data.Common;
using ArcBridgeDashboard.Probes.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace ArcBridgeDashboard.Web.Monitoring.Changes;

/// <summary>
/// Flap damping, inside the store's transaction: walks each agent × target's new results in time order against its
/// <see cref="Data.ConfirmedState"/> and writes a <see cref="Data.ChangeEvent"/> when a new state (a verdict, or a
/// failure's reason) is agreed on by <c>confirmAfter</c> consecutive results. A Check now result counts in full: on
/// call the operator asked for the truth now. Prepared SQL, like <see cref="ResultRows"/>: this runs on every batch.
/// </summary>
internal static class ChangeRows
{
    /// <returns>The ids of the change events written (raise them only after the commit).</returns>
    public static async Task<IReadOnlyList<long>> ConfirmAsync(Data.ArcBridgeDbContext db, int agentId, IReadOnlyList<ResultRows.Item> items, int confirmAfter, CancellationToken cancellationToken)
    {
        if (items.Count == 0)
            return [];
        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction!.GetDbTransaction();
        var states = await LoadAsync(connection, transaction, agentId, cancellationToken);

        await using var insert = Command(connection, transaction, """
            INSERT INTO "ChangeEvents" ("AgentId", "TargetId", "At", "ConfirmedAt", "From", "FromReason", "To", "Phase", "Reason", "Message", "ByCheckNow")
            VALUES (@agent, @target, @at, @confirmed, @from, @fromReason, @to, @phase, @reason, @message, @manual) RETURNING "Id"
            """);
        await using var upsert = Command(connection, transaction, """
            INSERT INTO "ConfirmedStates" ("AgentId", "TargetId", "Verdict", "Reason", "LastAt", "PendingVerdict", "PendingReason", "PendingCount", "PendingSince")
            VALUES (@agent, @target, @verdict, @reason, @last, @pv, @pr, @pc, @ps)
            ON CONFLICT ("AgentId", "TargetId") DO UPDATE SET "Verdict" = excluded."Verdict", "Reason" = excluded."Reason", "LastAt" = excluded."LastAt",
                "PendingVerdict" = excluded."PendingVerdict", "PendingReason" = excluded."PendingReason", "PendingCount" = excluded."PendingCount", "PendingSince" = excluded."PendingSince"
            """);
        await using var batch = new StatementBatch(connection, transaction, db.Database.IsNpgsql());
        var ids = new List<long>();
        foreach (var target in items.GroupBy(i => i.TargetId).OrderBy(g => g.Key))
        {
            var state = states.GetValueOrDefault(target.Key) ?? new State(null, null, DateTimeOffset.MinValue, null, null, 0, null);
            var moved = false;
            foreach (var item in target.OrderBy(i => i.Result.StartedAt))
            {
                var r = item.Result;
                if (r.StartedAt < state.LastAt)
                    continue; // a late, older result says nothing about the state now
                moved = true;
                var key = KeyOf(r);
                if (state.Verdict is { } v && (v, state.Reason) == key)
                {
                    state = state with { LastAt = r.StartedAt, PendingVerdict = null, PendingReason = null, PendingCount = 0, PendingSince = null };
                    continue;
                }
                state = state.PendingVerdict is { } pv && (pv, state.PendingReason) == key
                    ? state with { LastAt = r.StartedAt, PendingCount = state.PendingCount + 1 }
                    : state with { LastAt = r.StartedAt, PendingVerdict = key.Verdict, PendingReason = key.Reason, PendingCount = 1, PendingSince = r.StartedAt };
                var manual = r.Pass?.Trigger == SweepPass.Manual;
                if (state.PendingCount < confirmAfter && !manual)
                    continue;
                Bind(insert, ("@agent", agentId), ("@target", target.Key), ("@at", Ms(state.PendingSince!.Value)), ("@confirmed", Ms(r.StartedAt)),
                    ("@from", (object?)(int?)state.Verdict), ("@fromReason", (int?)state.Reason), ("@to", (int)r.Verdict), ("@phase", (int)r.Phase),
                    ("@reason", (int)r.Reason), ("@message", r.Message), ("@manual", manual));
                ids.Add(Convert.ToInt64(await insert.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture));
                state = new State(key.Verdict, key.Reason, r.StartedAt, null, null, 0, null);
            }
            if (!moved)
                continue;
            Bind(upsert, ("@agent", agentId), ("@target", target.Key), ("@verdict", (int?)state.Verdict), ("@reason", (int?)state.Reason),
                ("@last", Ms(state.LastAt)), ("@pv", (int?)state.PendingVerdict), ("@pr", (int?)state.PendingReason), ("@pc", state.PendingCount),
                ("@ps", state.PendingSince is { } ps ? Ms(ps) : null));
            await batch.RunAsync(upsert, cancellationToken);
        }
        await batch.FlushAsync(cancellationToken);
        return ids;
    }

    /// <summary>What counts as a state: the verdict, and for a warning or failure its reason too.</summary>
    private static (Verdict Verdict, ReasonCode? Reason) KeyOf(ProbeResult r) => (r.Verdict, r.Verdict == Verdict.Pass ? null : r.Reason);

    private static async Task<Dictionary<int, State>> LoadAsync(DbConnection connection, DbTransaction transaction, int agentId, CancellationToken cancellationToken)
    {
        await using var select = Command(connection, transaction,
            "SELECT \"TargetId\", \"Verdict\", \"Reason\", \"LastAt\", \"PendingVerdict\", \"PendingReason\", \"PendingCount\", \"PendingSince\" FROM \"ConfirmedStates\" WHERE \"AgentId\" = @agent");
        Bind(select, ("@agent", agentId));
        var map = new Dictionary<int, State>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            map[reader.GetInt32(0)] = new State(
                reader.IsDBNull(1) ? null : (Verdict)reader.GetInt32(1), reader.IsDBNull(2) ? null : (ReasonCode)reader.GetInt32(2),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)),
                reader.IsDBNull(4) ? null : (Verdict)reader.GetInt32(4), reader.IsDBNull(5) ? null : (ReasonCode)reader.GetInt32(5),
                reader.GetInt32(6), reader.IsDBNull(7) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7)));
        }
        return map;
    }

    private static long Ms(DateTimeOffset at) => at == DateTimeOffset.MinValue ? long.MinValue : at.ToUnixTimeMilliseconds();

    private static DbCommand Command(DbConnection connection, DbTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private static void Bind(DbCommand command, params (string Name, object? Value)[] values)
    {
        foreach (var (name, value) in values)
        {
            DbParameter parameter;
            if (command.Parameters.Contains(name))
                parameter = command.Parameters[name];
            else
            {
                parameter = command.CreateParameter();
                parameter.ParameterName = name;
                command.Parameters.Add(parameter);
            }
            parameter.Value = value ?? DBNull.Value;
        }
    }

    private sealed record State(Verdict? Verdict, ReasonCode? Reason, DateTimeOffset LastAt, Verdict? PendingVerdict, ReasonCode? PendingReason, int PendingCount, DateTimeOffset? PendingSince);
}
