using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace ArcBridgeDashboard.Web.Data;

/// <summary>
/// <see cref="ArcBridgeDbContext"/> on PostgreSQL: the same model, its own migrations (Data/PostgreSqlMigrations).
/// Registered as <see cref="ArcBridgeDbContext"/> too (see <see cref="DataExtensions"/>), so nothing else knows it exists.
/// </summary>
public sealed class PostgreSqlArcBridgeDbContext(DbContextOptions<PostgreSqlArcBridgeDbContext> options) : ArcBridgeDbContext(options);

/// <summary>
/// For dotnet-ef only (<c>--context PostgreSqlArcBridgeDbContext</c>): adding a migration builds the model without
/// connecting, so any well-formed connection string does.
/// </summary>
public sealed class PostgreSqlDesignTimeFactory : IDesignTimeDbContextFactory<PostgreSqlArcBridgeDbContext>
{
    public PostgreSqlArcBridgeDbContext CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<PostgreSqlArcBridgeDbContext>()
        .UseNpgsql("Host=localhost;Database=arcbridge_design").Options);
}

/// <summary>
/// For dotnet-ef only (<c>--context ArcBridgeDbContext</c>): without it, dotnet-ef would build the SQLite context with the
/// PostgreSQL factory above (it is a subtype) and write a PostgreSQL snapshot into Data/Migrations.
/// </summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<ArcBridgeDbContext>
{
    public ArcBridgeDbContext CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<ArcBridgeDbContext>()
        .UseSqlite("Data Source=arcbridge-design.db").Options);
}
