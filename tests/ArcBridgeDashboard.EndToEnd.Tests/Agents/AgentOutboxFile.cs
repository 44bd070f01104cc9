using Microsoft.Data.Sqlite;

namespace ArcBridgeDashboard.EndToEnd.Tests.Agents;

/// <summary>Reads an agent's outbox.db: every id it ever produced, and the ids still waiting for an ack.</summary>
public static class AgentOutboxFile
{
    public static async Task<(HashSet<Guid> Produced, HashSet<Guid> Pending, long Dropped)> ReadAsync(string stateDir)
    {
        await using var db = new SqliteConnection($"Data Source={Path.Combine(stateDir, "outbox.db")};Default Timeout=30;Pooling=False");
        await db.OpenAsync();
        return (await IdsAsync(db, "SELECT id FROM produced"), await IdsAsync(db, "SELECT id FROM outbox"),
            await DroppedAsync(db));
    }

    public static async Task<long> PendingCountAsync(string stateDir)
    {
        if (!File.Exists(Path.Combine(stateDir, "outbox.db")))
            return -1;
        return (await ReadAsync(stateDir)).Pending.Count;
    }

    private static async Task<HashSet<Guid>> IdsAsync(SqliteConnection db, string sql)
    {
        await using var command = db.CreateCommand();
        command.CommandText = sql;
        var ids = new HashSet<Guid>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            ids.Add(Guid.Parse(reader.GetString(0)));
        return ids;
    }

    private static async Task<long> DroppedAsync(SqliteConnection db)
    {
        await using var command = db.CreateCommand();
        command.CommandText = "SELECT value FROM counters WHERE name = 'dropped'";
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
