using ArcBridgeDashboard.Web.Configuration;
using ArcBridgeDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace ArcBridgeDashboard.Web.Secrets;

/// <summary>
/// Start-up: secrets saved by a version that stored them in clear are read clear and written back protected,
/// so an upgrade leaves no clear secret in the database.
/// </summary>
public sealed partial class ClearTextSecretMigrator(SecretProtector protector, TimeProvider time, ILogger<ClearTextSecretMigrator> logger) : IStartupSeeder
{
    /// <summary>Setting rows whose value is a secret.</summary>
    public static readonly IReadOnlyList<string> SecretKeys = [DashboardSettingsStore.ProxyPasswordKey];

    public async Task SeedAsync(ArcBridgeDbContext db, CancellationToken cancellationToken)
    {
        var rows = await db.Settings.Where(s => SecretKeys.Contains(s.Key)).ToListAsync(cancellationToken);
        var migrated = 0;
        foreach (var row in rows.Where(r => !SecretProtector.IsProtected(r.Value)))
        {
            row.Value = protector.Protect(row.Value);
            row.UpdatedAt = time.GetUtcNow();
            migrated++;
            LogMigrated(row.Key);
        }
        if (migrated > 0)
        {
            await db.SaveChangesAsync(cancellationToken);
            // The clear text may still sit in free pages and the WAL: rewrite the file without them. (On PostgreSQL
            // autovacuum reclaims the dead row versions; its WAL and storage are the server operator's to protect.)
            if (db.Database.IsSqlite())
            {
                await db.Database.ExecuteSqlRawAsync("VACUUM;", cancellationToken);
                await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);", cancellationToken);
            }
        }
        db.ChangeTracker.Clear();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Setting {Key} was stored in clear text; it is now encrypted with Data Protection")]
    private partial void LogMigrated(string key);
}
