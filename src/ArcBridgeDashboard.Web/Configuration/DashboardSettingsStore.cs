using System.Text.Json;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Catalog;
using ArcBridgeDashboard.Web.Data;
using ArcBridgeDashboard.Web.Secrets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ArcBridgeDashboard.Web.Configuration;

/// <summary>
/// Reads and writes <see cref="DashboardSettings"/> (one JSON row) and the proxy password (its own row, encrypted with
/// Data Protection by <see cref="SecretProtector"/>; only <see cref="GetProxyPasswordAsync"/> reads it back).
/// </summary>
public sealed class DashboardSettingsStore(ArcBridgeDbContext db, SecretProtector protector, IOptions<ArcBridgeOptions> options, TimeProvider time)
{
    public const string SettingsKey = "dashboard";
    public const string ProxyPasswordKey = "proxy-password";

    public const string ProxyChangedMessage =
        "The proxy server changed: enter the proxy password again (or clear it). The stored password is only ever sent to the proxy it was entered for.";

    public Task<DashboardSettings> GetAsync(CancellationToken cancellationToken = default) => ReadAsync(db, options.Value, cancellationToken);

    /// <summary>The settings without any secret, for code that expands targets (no store, no protector needed).</summary>
    internal static async Task<DashboardSettings> ReadAsync(ArcBridgeDbContext db, ArcBridgeOptions options, CancellationToken cancellationToken)
    {
        var rows = await db.Settings.AsNoTracking()
            .Where(s => s.Key == SettingsKey || s.Key == ProxyPasswordKey)
            .ToDictionaryAsync(s => s.Key, s => s.Value, cancellationToken);
        var settings = rows.TryGetValue(SettingsKey, out var json)
            ? JsonSerializer.Deserialize<DashboardSettings>(json, ProbeJson.Options) ?? Defaults(options)
            : Defaults(options);
        return settings with { HasProxyPassword = rows.ContainsKey(ProxyPasswordKey), NewProxyPassword = null };
    }

    /// <summary>Validates, then saves in one transaction (re-expanding targets when needed). Errors: nothing is written.</summary>
    public async Task<IReadOnlyList<SettingsError>> SaveAsync(DashboardSettings settings, CancellationToken cancellationToken = default)
    {
        var errors = DashboardSettingsValidator.Validate(settings);
        if (errors.Count > 0)
            return errors;
        var before = await GetAsync(cancellationToken);
        if (before.HasProxyPassword && settings.NewProxyPassword is null && !string.IsNullOrWhiteSpace(settings.ProxyUrl)
            && !SameProxyServer(before.ProxyUrl, settings.ProxyUrl))
        {
            // Keeping the password while pointing the proxy elsewhere would send it, from the dashboard and every
            // agent, to whoever runs the new host.
            return [new SettingsError(nameof(settings.NewProxyPassword), ProxyChangedMessage)];
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = time.GetUtcNow();
        var stored = settings with { HasProxyPassword = false, NewProxyPassword = null };
        await UpsertAsync(SettingsKey, JsonSerializer.Serialize(stored, ProbeJson.Options), now, cancellationToken);
        // No proxy any more: the password has nowhere to go and is not kept.
        if (settings.NewProxyPassword == "" || (settings.NewProxyPassword is null && string.IsNullOrWhiteSpace(settings.ProxyUrl)))
            await db.Settings.Where(s => s.Key == ProxyPasswordKey).ExecuteDeleteAsync(cancellationToken);
        else if (settings.NewProxyPassword is { } password)
            await UpsertAsync(ProxyPasswordKey, protector.Protect(password), now, cancellationToken);
        var passwordKept = settings.NewProxyPassword is { Length: > 0 } || (before.HasProxyPassword && settings.NewProxyPassword is null && !string.IsNullOrWhiteSpace(settings.ProxyUrl));
        // The change is annotated in the same transaction, so What changed can say "since the proxy changed".
        if (Monitoring.Changes.SettingsChangeText.Describe(before, settings, passwordKept) is { } text)
            db.Annotations.Add(new Annotation { At = now, Text = text, Kind = AnnotationKind.Settings });
        await db.SaveChangesAsync(cancellationToken);
        if (stored.ChangesTargets(before))
            await CatalogTargetSync.ReexpandAsync(db, ProbeSettingsMapper.ToProbeSettings(stored, null, options.Value.MaxParallelism), now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return [];
    }

    /// <summary>What the probe engine gets, including the stored password (server side only).</summary>
    public async Task<ProbeSettings> GetProbeSettingsAsync(CancellationToken cancellationToken = default)
    {
        var settings = await GetAsync(cancellationToken);
        var password = await GetProxyPasswordAsync(cancellationToken);
        return ProbeSettingsMapper.ToProbeSettings(settings, password, options.Value.MaxParallelism);
    }

    /// <summary>The stored proxy password in clear (server side only: probes and plans), or null when none is stored.</summary>
    /// <remarks>A password whose key was lost reads as none, so sweeps run unauthenticated until it is entered again.</remarks>
    public async Task<string?> GetProxyPasswordAsync(CancellationToken cancellationToken = default)
    {
        var stored = await db.Settings.AsNoTracking().Where(s => s.Key == ProxyPasswordKey)
            .Select(s => s.Value).FirstOrDefaultAsync(cancellationToken);
        return protector.TryUnprotect(stored);
    }

    /// <summary>Same scheme, host and port: the server the stored password was entered for.</summary>
    public static bool SameProxyServer(string? before, string? after) =>
        Uri.TryCreate(before, UriKind.Absolute, out var a) && Uri.TryCreate(after, UriKind.Absolute, out var b)
        && a.Scheme == b.Scheme && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;

    private static DashboardSettings Defaults(ArcBridgeOptions options) => new()
    {
        IntervalMinutes = Math.Max(1, (int)Math.Round(options.DefaultInterval.TotalMinutes)),
    };

    private async Task UpsertAsync(string key, string value, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var row = await db.Settings.FindAsync([key], cancellationToken);
        if (row is null)
            db.Settings.Add(new Setting { Key = key, Value = value, UpdatedAt = now });
        else
        {
            row.Value = value;
            row.UpdatedAt = now;
        }
    }
}
