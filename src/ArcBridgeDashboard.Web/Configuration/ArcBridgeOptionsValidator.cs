using ArcBridgeDashboard.Probes.Contracts;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ArcBridgeDashboard.Web.Configuration;

/// <summary>Cross-field and enum checks data annotations cannot express; messages name the configuration key.</summary>
public sealed class ArcBridgeOptionsValidator : IValidateOptions<ArcBridgeOptions>
{
    public ValidateOptionsResult Validate(string? name, ArcBridgeOptions options)
    {
        var errors = new List<string>();
        var role = options.BuiltInAgentRole;
        if (role == Sources.None || (role & ~(Sources.ManagementMachine | Sources.ApplianceVm)) != 0)
        {
            errors.Add($"ArcBridge:BuiltInAgentRole must be ManagementMachine or ApplianceVm (was '{role}').");
        }
        if (options.FirstSweepDelay > options.DefaultInterval)
        {
            errors.Add("ArcBridge:FirstSweepDelay must not exceed ArcBridge:DefaultInterval.");
        }
        if (options.DatabasePath.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            errors.Add($"ArcBridge:DatabasePath contains characters not allowed in a path: '{options.DatabasePath}'.");
        }
        errors.AddRange(RetentionErrors(options));
        ValidateDatabase(options.Database, errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static IEnumerable<string> RetentionErrors(ArcBridgeOptions options)
    {
        if (options.RetentionDays is { } old)
        {
            yield return $"ArcBridge:RetentionDays ({old}) is no longer read: raw results, roll-ups and changes have their own periods now. "
                + "Set ArcBridge:Retention:RawDays (raw results and sweeps, default 7), ArcBridge:Retention:HourlyDays (hourly roll-ups, default 365) "
                + "and ArcBridge:Retention:ChangeDays (state changes, What changed, annotations; default 365) instead, and remove ArcBridge:RetentionDays.";
        }
        var r = options.Retention;
        foreach (var (key, days) in new[] { ("RawDays", r.RawDays), ("HourlyDays", r.HourlyDays), ("ChangeDays", r.ChangeDays) })
        {
            if (days is < 1 or > RetentionOptions.MaxDays)
                yield return $"ArcBridge:Retention:{key} must be between 1 and {RetentionOptions.MaxDays} (was {days}).";
        }
        if (r.HourlyDays < r.RawDays)
            yield return $"ArcBridge:Retention:HourlyDays ({r.HourlyDays}) must not be shorter than ArcBridge:Retention:RawDays ({r.RawDays}): the pages read hourly roll-ups for every window longer than a day.";
    }

    private static void ValidateDatabase(DatabaseOptions database, List<string> errors)
    {
        if (!DatabaseOptions.TryParseProvider(database.Provider, out var provider))
        {
            errors.Add($"ArcBridge:Database:Provider must be Sqlite or PostgreSql (was '{database.Provider}').");
            return;
        }
        if (provider != DatabaseProvider.PostgreSql)
            return;
        if (string.IsNullOrWhiteSpace(database.ConnectionString))
        {
            errors.Add("ArcBridge:Database:ConnectionString is required when ArcBridge:Database:Provider is PostgreSql (e.g. Host=db;Database=arcbridge;Username=arcbridge;Password=…).");
            return;
        }
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(database.ConnectionString);
            if (string.IsNullOrWhiteSpace(builder.Host))
                errors.Add("ArcBridge:Database:ConnectionString names no Host (e.g. Host=db;Database=arcbridge;Username=arcbridge;Password=…).");
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            // The message names the bad keyword or value, never the rest of the string (it may hold a password).
            errors.Add($"ArcBridge:Database:ConnectionString is not a valid PostgreSQL connection string: {e.Message}");
        }
    }
}
