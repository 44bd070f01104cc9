using Microsoft.Data.Sqlite;

namespace ArcBridgeDashboard.EndToEnd.Tests.Agents;

/// <summary>Reads an agent's outbox.db: how many results it ever produced (its counter), and the ids still waiting for an ack.</summary>
public static class AgentOutboxFile
{
    public static async Task<(long Produced, HashSet<Guid> Pending, long Dropped)> ReadAsync(string stateDir)
    {
        await using var db = new SqliteConnection($"Data Source={Path.Combine(stateDir, "outbox.db")};Default Timeout=30;Pooling=False");
        await db.OpenAsync();
        return (await CounterAsync(db, "produced"), await PendingIdsAsync(db), await CounterAsync(db, "dropped"));
    }

    public static async Task<long> PendingCountAsync(string stateDir)
    {
        if (!File.Exists(Path.Combine(stateDir, "outbox.db")))
            return -1;
        return (await ReadAsync(stateDir)).Pending.Count;
    }

    private static async Task<HashSet<Guid>> PendingIdsAsync(SqliteConnection db)
    {
        await using var command = db.CreateCommand();
        command.CommandText = "SELECT id FROM outbox";
        var ids = new HashSet<Guid>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            ids.Add(Guid.Parse(reader.GetString(0)));
        return ids;
    }

    private static async Task<long> CounterAsync(SqliteConnection db, string name)
    {
        await using var command = db.CreateCommand();
        command.CommandText = "SELECT value FROM counters WHERE name = $name";
        command.Parameters.AddWithValue("$name", name);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
