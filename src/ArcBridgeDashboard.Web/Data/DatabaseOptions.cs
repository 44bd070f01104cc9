namespace ArcBridgeDashboard.Web.Data;

/// <summary>
/// Which database the dashboard uses, section "ArcBridge:Database". Only what the leader lease needs lives here
/// (the provider switch itself belongs to the data layer); an empty provider means SQLite at ArcBridge:DatabasePath.
/// </summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "ArcBridge:Database";

    /// <summary>"Sqlite" (default) or "PostgreSql".</summary>
    public string Provider { get; set; } = SqliteProvider;

    /// <summary>The PostgreSQL connection string (Npgsql syntax); unused with SQLite.</summary>
    public string? ConnectionString { get; set; }

    public const string SqliteProvider = "Sqlite";
    public const string PostgreSqlProvider = "PostgreSql";

    public bool IsPostgreSql => string.Equals(Provider, PostgreSqlProvider, StringComparison.OrdinalIgnoreCase);
}
