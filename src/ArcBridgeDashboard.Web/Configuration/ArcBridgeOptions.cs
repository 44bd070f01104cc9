using System.ComponentModel.DataAnnotations;
using ArcBridgeDashboard.Probes.Contracts;

namespace ArcBridgeDashboard.Web.Configuration;

/// <summary>
/// Startup options, section "ArcBridge" (appsettings, env ArcBridge__Key, or --ArcBridge:Key=value).
/// Runtime settings the operator edits in the UI live in the database instead (<see cref="DashboardSettings"/>).
/// </summary>
public sealed class ArcBridgeOptions
{
    public const string SectionName = "ArcBridge";

    /// <summary>SQLite file; relative paths are resolved against the content root. The folder is created.</summary>
    [Required(AllowEmptyStrings = false)]
    public string DatabasePath { get; set; } = "data/arcbridge.db";

    /// <summary>Probe interval used until an operator saves another one in Settings.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00", ErrorMessage = "ArcBridge:DefaultInterval must be between 00:01:00 and 1.00:00:00.")]
    public TimeSpan DefaultInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Delay before the built-in agent's first sweep after startup.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00", ErrorMessage = "ArcBridge:FirstSweepDelay must be between 00:00:00 and 01:00:00.")]
    public TimeSpan FirstSweepDelay { get; set; } = TimeSpan.FromSeconds(10);

    public bool BuiltInAgentEnabled { get; set; } = true;

    /// <summary>The source role the dashboard's own machine stands for.</summary>
    public Sources BuiltInAgentRole { get; set; } = Sources.ManagementMachine;

    /// <summary>How long each tier of history is kept (section ArcBridge:Retention); checked at startup.</summary>
    public RetentionOptions Retention { get; set; } = new();

    /// <summary>
    /// The old single retention setting, replaced by <see cref="Retention"/>. Bound only so that a configuration still
    /// setting it stops the app with a message naming the new keys, instead of being ignored.
    /// </summary>
    public int? RetentionDays { get; set; }

    /// <summary>Folder of the rolling log files (arcbridge-yyyyMMdd.log), relative to the content root.</summary>
    [Required(AllowEmptyStrings = false)]
    public string LogDirectory { get; set; } = "logs";

    [Range(1, 256, ErrorMessage = "ArcBridge:MaxParallelism must be between 1 and 256.")]
    public int MaxParallelism { get; set; } = 32;

    /// <summary>
    /// Flap damping: a change of state is confirmed (an event on What changed, a notification) after this many
    /// consecutive agreeing results. A Check now result counts in full.
    /// </summary>
    [Range(1, 100, ErrorMessage = "ArcBridge:ConfirmAfterResults must be between 1 and 100.")]
    public int ConfirmAfterResults { get; set; } = 2;

    /// <summary>How long a Check now waits for every online agent before "What changed" names the late ones.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00", ErrorMessage = "ArcBridge:CheckNowDeadline must be between 00:00:05 and 01:00:00.")]
    public TimeSpan CheckNowDeadline { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// SQLite's sync level. Full (the default) syncs the WAL on every commit, so a batch acknowledged to an agent survives
    /// a power loss; Normal is faster but may lose the last commits on power loss (never on a crash of the process).
    /// </summary>
    public SqliteSynchronous SqliteSynchronous { get; set; } = SqliteSynchronous.Full;

    /// <summary>Which database holds the data, section "ArcBridge:Database" (SQLite at <see cref="DatabasePath"/> unless set).</summary>
    public DatabaseOptions Database { get; set; } = new();
}

/// <summary>"ArcBridge:Database": the provider and, for PostgreSQL, its connection string.</summary>
public sealed class DatabaseOptions
{
    /// <summary>Sqlite (the default: one file at ArcBridge:DatabasePath) or PostgreSql. Kept as text so a wrong value gets a clear message.</summary>
    public string Provider { get; set; } = nameof(DatabaseProvider.Sqlite);

    /// <summary>PostgreSQL only (Npgsql form): Host=db;Port=5432;Database=arcbridge;Username=arcbridge;Password=….</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The provider, once validated (<see cref="ArcBridgeOptionsValidator"/>).</summary>
    public DatabaseProvider Kind => TryParseProvider(Provider, out var kind) ? kind : DatabaseProvider.Sqlite;

    /// <summary>A provider's name exactly, in any case (no numbers, no flag combinations).</summary>
    public static bool TryParseProvider(string? value, out DatabaseProvider provider)
    {
        var name = Enum.GetNames<DatabaseProvider>().FirstOrDefault(n => string.Equals(n, value?.Trim(), StringComparison.OrdinalIgnoreCase));
        provider = name is null ? DatabaseProvider.Sqlite : Enum.Parse<DatabaseProvider>(name);
        return name is not null;
    }
}

public enum DatabaseProvider
{
    Sqlite,
    PostgreSql,
}

/// <summary>
/// Retention tiers (ArcBridge:Retention:*). Raw results (and their sweeps) are kept <see cref="RawDays"/>, hourly roll-ups
/// <see cref="HourlyDays"/>, daily roll-ups for ever; state changes, confirmed changes, annotations and check runs
/// <see cref="ChangeDays"/>. Results older than <see cref="RawDays"/> are refused at ingest: only while a result's raw
/// row exists can a re-sent copy be recognised, so only then can it be counted into the roll-ups exactly once.
/// </summary>
public sealed class RetentionOptions
{
    public const int MaxDays = 3650;

    public int RawDays { get; set; } = 7;
    public int HourlyDays { get; set; } = 365;
    public int ChangeDays { get; set; } = 365;
}

/// <summary>The two values of PRAGMA synchronous that make sense in WAL mode.</summary>
public enum SqliteSynchronous
{
    Full,
    Normal,
}
