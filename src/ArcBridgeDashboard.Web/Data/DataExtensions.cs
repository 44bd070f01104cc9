using ArcBridgeDashboard.Web.Configuration;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ArcBridgeDashboard.Web.Data;

public static class DataExtensions
{
    /// <summary>
    /// The store (SQLite by default, PostgreSQL by ArcBridge:Database:Provider): DbContext factory (Blazor components
    /// create short-lived contexts) plus a scoped context, migrations and seeding at startup. Call before anything that
    /// reads the database at startup. The provider is read from configuration here (the options are validated at start).
    /// </summary>
    public static IHostApplicationBuilder AddArcBridgeData(this IHostApplicationBuilder builder)
    {
        builder.AddArcBridgeOptions();
        var database = builder.Configuration.GetSection(ArcBridgeOptions.SectionName).GetSection("Database").Get<DatabaseOptions>() ?? new DatabaseOptions();
        if (database.Kind == DatabaseProvider.PostgreSql)
        {
            builder.Services.AddDbContextFactory<PostgreSqlArcBridgeDbContext>((sp, options) =>
                options.UseNpgsql(WithAutoPrepare(sp.GetRequiredService<IOptions<ArcBridgeOptions>>().Value.Database.ConnectionString)));
            // Everything else asks for ArcBridgeDbContext: hand it the PostgreSQL subtype.
            builder.Services.AddSingleton<IDbContextFactory<ArcBridgeDbContext>, PostgreSqlFactory>();
            builder.Services.AddScoped<ArcBridgeDbContext>(sp => sp.GetRequiredService<PostgreSqlArcBridgeDbContext>());
        }
        else
        {
            builder.Services.AddSingleton<SqlitePragmaInterceptor>();
            builder.Services.AddDbContextFactory<ArcBridgeDbContext>((sp, options) =>
            {
                var path = ResolveDatabasePath(sp.GetRequiredService<IOptions<ArcBridgeOptions>>().Value, sp.GetRequiredService<IHostEnvironment>());
                options.UseSqlite(BuildConnectionString(path))
                    .AddInterceptors(sp.GetRequiredService<SqlitePragmaInterceptor>());
            });
        }
        // Registered first so migrations finish before any other hosted service starts.
        builder.Services.AddHostedService<DatabaseInitializer>();
        return builder;
    }

    /// <summary>
    /// Npgsql's automatic preparation, unless the connection string sets it: the ingest path runs the same few statements
    /// for every batch, and a prepared statement skips PostgreSQL's parse and plan (a third of its CPU per result in
    /// bench/agents). Statements used 5 times on a connection are prepared, at most 64 per connection.
    /// </summary>
    public static string? WithAutoPrepare(string? connectionString)
    {
        if (connectionString is null)
            return null;
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (!builder.ContainsKey("Max Auto Prepare"))
            builder.MaxAutoPrepare = 64;
        return builder.ConnectionString;
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

    private sealed class PostgreSqlFactory(IDbContextFactory<PostgreSqlArcBridgeDbContext> inner) : IDbContextFactory<ArcBridgeDbContext>
    {
        public ArcBridgeDbContext CreateDbContext() => inner.CreateDbContext();
    }
}
