using ArcBridgeDashboard.Web.Configuration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ArcBridgeDashboard.Web.Data;

/// <summary>
/// Applies the provider's committed migrations and seeds first-start data. On SQLite it first creates the data folder
/// and file owner-only and turns WAL on; a PostgreSQL database must exist (the migrations create the tables).
/// </summary>
public sealed partial class DatabaseInitializer(
    IServiceProvider services,
    IOptions<ArcBridgeOptions> options,
    IHostEnvironment environment,
    ILogger<DatabaseInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var sqlite = options.Value.Database.Kind == DatabaseProvider.Sqlite;
        var path = DataExtensions.ResolveDatabasePath(options.Value, environment);
        if (sqlite)
        {
            // Owner-only from the first byte: SQLite gives the -wal and -shm files the database file's own mode, so
            // creating the empty file 0600 before SQLite opens it covers all three. Existing files are re-set each start.
            OwnerOnlyFiles.CreateDirectory(Path.GetDirectoryName(path)!);
            if (!File.Exists(path) && !OperatingSystem.IsWindows())
                new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerOnlyFiles.FileMode }).Dispose();
            OwnerOnlyFiles.RestrictDatabase(path);
        }
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ArcBridgeDbContext>();
        await db.Database.MigrateAsync(cancellationToken);
        if (sqlite)
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            OwnerOnlyFiles.RestrictDatabase(path);
            LogMigrated(path);
        }
        else
        {
            LogMigratedPostgreSql(db.Database.GetDbConnection().Database, db.Database.GetDbConnection().DataSource);
            // Today's results day partition and the next days' exist before the first result (retention keeps them ahead).
            // Not a reason to stay down: an insert never needs one (the default partition takes it), and the leader's
            // hourly round tries again. It can fail at start when another replica holds the step, or when the default
            // partition holds so many rows that checking them outlasts the command timeout.
            try
            {
                var now = (services.GetService<TimeProvider>() ?? TimeProvider.System).GetUtcNow();
                var created = await ResultPartitions.PrepareAsync(db, now, cancellationToken);
                if (created.Count > 0)
                    LogPartitionsCreated(string.Join(", ", created));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogPartitionsFailed(ex);
            }
        }
        foreach (var seeder in scope.ServiceProvider.GetServices<IStartupSeeder>())
        {
            await seeder.SeedAsync(db, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Database {Path} is migrated and in WAL mode")]
    private partial void LogMigrated(string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the results day partitions {Partitions}")]
    private partial void LogPartitionsCreated(string partitions);

    [LoggerMessage(Level = LogLevel.Error, Message = "Preparing the results day partitions at start failed; the dashboard starts anyway, results of a day without one go to the default partition, and the leader's hourly round tries again")]
    private partial void LogPartitionsFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "PostgreSQL database {Database} on {Server} is migrated")]
    private partial void LogMigratedPostgreSql(string database, string server);
}

/// <summary>First-start data (default catalog, built-in agent role). Runs after migrations, in registration order.</summary>
public interface IStartupSeeder
{
    Task SeedAsync(ArcBridgeDbContext db, CancellationToken cancellationToken);
}
