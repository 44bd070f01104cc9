using ArcBridgeDashboard.Probes.Catalog;
using ArcBridgeDashboard.Web.Configuration;
using ArcBridgeDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ArcBridgeDashboard.Web.Catalog;

/// <summary>
/// What an imported markdown would change. <see cref="Errors"/> non-empty means it is not an allowlist and cannot be
/// accepted; <see cref="Warnings"/> are rows it could not read, shown beside the diff before Accept.
/// </summary>
public sealed record CatalogImportPreview(string? Version, string? ActiveVersion, CatalogDiff? Diff,
    IReadOnlyList<ImportError> Errors, IReadOnlyList<ImportError> Warnings)
{
    public bool CanAccept => Errors.Count == 0 && Diff is not null;

    /// <summary>The document is older than the active catalog: accepting it needs a confirmation that names both dates.</summary>
    public bool IsOlder => CatalogImportService.IsOlder(Version, ActiveVersion);
}

/// <summary>Refused accept: the document is older than the active catalog and the operator did not confirm.</summary>
public sealed class OlderCatalogException(string version, string activeVersion)
    : InvalidOperationException($"The allowlist of {version} is older than the active one of {activeVersion}; confirm to import the older version.");

/// <summary>Admin import of an allowlist: preview (writes nothing), then accept (one transaction, history kept).</summary>
public sealed class CatalogImportService(ArcBridgeDbContext db, IOptions<ArcBridgeOptions> options, TimeProvider time)
{
    public async Task<CatalogImportPreview> PreviewAsync(string markdown, CancellationToken cancellationToken = default)
    {
        var import = AllowlistImporter.Import(markdown);
        var activeVersion = await ActiveVersionAsync(cancellationToken);
        if (!import.Success)
            return new CatalogImportPreview(import.Version, activeVersion, null, import.Errors, import.Warnings);
        var incoming = DefaultCatalog.FromImport(import, FallbackVersion());
        var active = await db.Endpoints.AsNoTracking().Where(e => e.CatalogVersion!.IsActive).ToListAsync(cancellationToken);
        return new CatalogImportPreview(incoming.Version, activeVersion, CatalogDiff.Compute(active.Select(e => e.ToContract()), incoming.Endpoints), [], import.Warnings);
    }

    /// <summary>
    /// Imports again (never trusts a stale preview) and makes it the active version. Throws
    /// <see cref="OlderCatalogException"/> for an older document unless <paramref name="confirmOlder"/>. Returns the new version id.
    /// </summary>
    public async Task<int> AcceptAsync(string markdown, bool confirmOlder = false, CancellationToken cancellationToken = default)
    {
        var import = AllowlistImporter.Import(markdown);
        if (!import.Success)
            throw new InvalidOperationException("The allowlist does not import: " + string.Join("; ", import.Errors));
        var snapshot = DefaultCatalog.FromImport(import, FallbackVersion());
        var activeVersion = await ActiveVersionAsync(cancellationToken);
        if (!confirmOlder && IsOlder(snapshot.Version, activeVersion))
            throw new OlderCatalogException(snapshot.Version, activeVersion!);
        return await ActivateAsync(snapshot, "import", markdown, cancellationToken, activeVersion);
    }

    /// <summary>
    /// Makes <paramref name="snapshot"/> the active version. An endpoint it lists that an earlier version listed too
    /// (same cloud and host:port/proto) keeps its row: id, targets, history, latest state and interval. Endpoints it
    /// no longer lists stay on their last version: retired, history kept, off the overview.
    /// </summary>
    /// <param name="replacedVersion">The version an operator's import replaces: the change is annotated (the seeder's first version is not).</param>
    internal async Task<int> ActivateAsync(CatalogSnapshot snapshot, string source, string markdown, CancellationToken cancellationToken, string? replacedVersion = null)
    {
        var now = time.GetUtcNow();
        // Expanding targets needs region, cloud and overrides, never the proxy password.
        var settings = ProbeSettingsMapper.ToProbeSettings(await DashboardSettingsStore.ReadAsync(db, options.Value, cancellationToken), null, options.Value.MaxParallelism);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var known = await db.Endpoints
            .Include(e => e.CatalogVersion)
            .Include(e => e.Targets.Where(t => t.RetiredAt == null))
            .ToListAsync(cancellationToken);
        // Before history was kept across versions every version had its own rows: the active (or newest) one wins.
        var byIdentity = known.GroupBy(e => e.Identity)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(e => e.CatalogVersion!.IsActive).ThenByDescending(e => e.Id).First());
        foreach (var old in known.Where(e => e.CatalogVersion!.IsActive))
            old.CatalogVersion!.IsActive = false;

        var version = new CatalogVersion { Version = snapshot.Version, Source = source, ImportedAt = now, IsActive = true, RawMarkdown = markdown };
        db.CatalogVersions.Add(version);
        foreach (var endpoint in snapshot.Endpoints.DistinctBy(e => e.Identity))
        {
            if (byIdentity.Remove(endpoint.Identity, out var row))
                Copy(endpoint, row);
            else
                row = Copy(endpoint, new MonitoredEndpoint { Key = endpoint.Key, Service = endpoint.Service, HostPattern = endpoint.HostPattern });
            row.CatalogVersion = version;
            version.Endpoints.Add(row);
        }
        foreach (var retired in byIdentity.Values)
        {
            foreach (var target in retired.Targets)
                target.RetiredAt = now;
        }
        CatalogTargetSync.ApplyExpansion(version.Endpoints, settings, now);
        if (source == "import")
        {
            db.Annotations.Add(new Annotation
            {
                At = now, Kind = AnnotationKind.Allowlist,
                Text = $"Allowlist {snapshot.Version} accepted" + (replacedVersion is null ? "" : $" (was {replacedVersion})")
                    + $": {version.Endpoints.Count} endpoints",
            });
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return version.Id;
    }

    private static MonitoredEndpoint Copy(Probes.Contracts.CatalogEndpoint from, MonitoredEndpoint to)
    {
        to.Cloud = from.Cloud;
        to.Key = from.Key;
        to.Service = from.Service;
        to.Port = from.Port;
        to.Protocol = from.Protocol;
        to.HostPattern = from.HostPattern;
        to.Sources = from.Sources;
        to.Purpose = from.Purpose;
        to.Origin = from.Origin;
        to.Note = from.Note;
        to.BypassProxy = from.BypassProxy;
        return to;
    }

    /// <summary>Versions are ms.dates (yyyy-MM-dd); a version that is no date (a test catalog) is never "older".</summary>
    public static bool IsOlder(string? version, string? activeVersion)
        => DateOnly.TryParseExact(version, "yyyy-MM-dd", out var a) && DateOnly.TryParseExact(activeVersion, "yyyy-MM-dd", out var b) && a < b;

    private Task<string?> ActiveVersionAsync(CancellationToken cancellationToken)
        => db.CatalogVersions.AsNoTracking().Where(v => v.IsActive).Select(v => v.Version).FirstOrDefaultAsync(cancellationToken);

    private string FallbackVersion() => time.GetUtcNow().ToString("yyyy-MM-dd");
}
