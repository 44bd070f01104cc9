using ArcBridgeDashboard.Web.Configuration;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ArcBridgeDashboard.Web.Data;

public static class DataExtensions
{
    /// <summary>
    /// SQLite store: DbContext factory (Blazor components create short-lived contexts) plus a scoped context,
    /// migrations and seeding at startup. Call before anything that reads the database at startup.
    /// </summary>
    public static IHostApplicationBuilder AddArcBridgeData(this IHostApplicationBuilder builder)
    {
        builder.AddArcBridgeOptions();
        builder.Services.AddSingleton<SqlitePragmaInterceptor>();
        builder.Services.AddDbContextFactory<ArcBridgeDbContext>((sp, options) =>
        {
            var path = ResolveDatabasePath(sp.GetRequiredService<IOptions<ArcBridgeOptions>>().Value, sp.GetRequiredService<IHostEnvironment>());
            options.UseSqlite(BuildConnectionString(path))
                .AddInterceptors(sp.GetRequiredService<SqlitePragmaInterceptor>());
        });
        // Registered first so migrations finish before any other hosted service starts.
        builder.Services.AddHostedService<DatabaseInitializer>();
        return builder;
    }

    public static string ResolveDatabasePath(ArcBridgeOptions options, IHostEnvironment environment)
        => Path.GetFullPath(Path.Combine(environment.ContentRootPath, options.DatabasePath));

    public static string BuildConnectionString(string path) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Cache = SqliteCacheMode.Private,
        DefaultTimeout = 30,
        Pooling = true,
    }.ToString();
}
