using System.Diagnostics;
using ArcBridgeDashboard.Bench.Common;
using Microsoft.Data.Sqlite;

namespace ArcBridgeDashboard.Bench.Pages;

/// <summary>
/// The reads the overview and drill-down need, timed straight against the file with the schema's indexes. This shows
/// whether the schema itself keeps page data O(window) rather than O(history), independently of the page code.
/// </summary>
public static class SchemaQueries
{
    public static IReadOnlyList<(string Name, double MedianMs, long Rows)> Measure(string databasePath, int targetId, int samples)
    {
        using var connection = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        var now = Scalar(connection, "SELECT MAX(StartedAt) FROM LatestResults");
        var queries = new (string Name, string Sql)[]
        {
            ("overview: latest per agent x target", "SELECT l.AgentId, l.TargetId, l.Verdict, l.Phase, l.Reason, l.StartedAt, t.Host, e.Service FROM LatestResults l JOIN Targets t ON t.Id = l.TargetId JOIN Endpoints e ON e.Id = t.EndpointId JOIN CatalogVersions v ON v.Id = e.CatalogVersionId WHERE v.IsActive = 1 AND t.RetiredAt IS NULL"),
            ("drill-down: per-agent status", $"SELECT * FROM LatestResults WHERE TargetId = {targetId}"),
            ("drill-down: latest failure", $"SELECT * FROM Results WHERE TargetId = {targetId} AND Verdict = 2 ORDER BY StartedAt DESC LIMIT 1"),
            ("drill-down: 30 d hourly roll-ups", $"SELECT HourStart, SUM(Count), SUM(PassCount), SUM(SumTotalMs) FROM HourlyRollups WHERE TargetId = {targetId} AND HourStart >= {now - 30L * 86_400_000} GROUP BY HourStart"),
            ("drill-down: 24 h latency (raw)", $"SELECT StartedAt, TotalMs FROM Results WHERE TargetId = {targetId} AND StartedAt >= {now - 86_400_000}"),
            ("drill-down: state-change timeline", $"SELECT * FROM StateChanges WHERE TargetId = {targetId} ORDER BY At DESC LIMIT 50"),
            ("drill-down: raw page 1 (50 rows)", $"SELECT Id, StartedAt, AgentId, Verdict, Phase, Reason, TotalMs, Message FROM Results WHERE TargetId = {targetId} ORDER BY StartedAt DESC LIMIT 50"),
            ("drill-down: raw COUNT(*) for paging", $"SELECT COUNT(*) FROM Results WHERE TargetId = {targetId}"),
        };
        var figures = new List<(string, double, long)>();
        foreach (var (name, sql) in queries)
        {
            long rows = 0;
            var times = new List<double>();
            for (var i = 0; i < samples + 2; i++)
            {
                var clock = Stopwatch.StartNew();
                rows = Count(connection, sql);
                if (i >= 2) times.Add(clock.Elapsed.TotalMilliseconds);
            }
            figures.Add((name, Stats.Median(times), rows));
        }
        return figures;
    }

    public static long Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar() ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static long Count(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        long rows = 0;
        while (reader.Read()) { _ = reader.GetValue(0); rows++; }
        return rows;
    }
}
