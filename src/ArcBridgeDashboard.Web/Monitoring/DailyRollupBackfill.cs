using ArcBridgeDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace ArcBridgeDashboard.Web.Monitoring;

/// <summary>
/// A database from before <see cref="DailyRollup"/> existed has hourly roll-ups but no days: at startup (after the
/// migrations, before any ingest) the days are built once from the hours, so the year views show that history too. Ingest
/// keeps them from then on; a database with any daily row is left alone.
/// </summary>
public sealed partial class DailyRollupBackfill(ILogger<DailyRollupBackfill> logger) : IStartupSeeder
{
    /// <summary>
    /// Every agent × target × UTC day from its hours: counts and latency summed, the hour masks from the hours present
    /// (one hourly row per hour, so a sum of distinct bits is their OR). Also used by the page benchmark's seeder. One
    /// text for both providers (quoted names; the shift's count cast to INTEGER, as PostgreSQL has no int &lt;&lt; bigint).
    /// </summary>
    public const string FromHourlySql = """
        INSERT INTO "DailyRollups" ("TargetId", "AgentId", "DayStart", "Count", "PassCount", "WarnCount", "FailCount", "SumTotalMs", "MaxTotalMs", "HourMask", "FailMask")
        SELECT "TargetId", "AgentId", "HourStart" - "HourStart" % 86400000, SUM("Count"), SUM("PassCount"), SUM("WarnCount"), SUM("FailCount"),
               SUM("SumTotalMs"), MAX("MaxTotalMs"), SUM(1 << CAST("HourStart" % 86400000 / 3600000 AS INTEGER)),
               SUM(CASE WHEN "FailCount" > 0 THEN 1 << CAST("HourStart" % 86400000 / 3600000 AS INTEGER) ELSE 0 END)
        FROM "HourlyRollups"
        GROUP BY "TargetId", "AgentId", "HourStart" - "HourStart" % 86400000
        """;

    public async Task SeedAsync(ArcBridgeDbContext db, CancellationToken cancellationToken)
    {
        if (await db.DailyRollups.AnyAsync(cancellationToken) || !await db.HourlyRollups.AnyAsync(cancellationToken))
            return;
        var days = await db.Database.ExecuteSqlRawAsync(FromHourlySql, cancellationToken);
        LogBackfilled(days);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Built {Count} daily roll-ups from the hourly ones (first start with daily roll-ups)")]
    private partial void LogBackfilled(int count);
}
