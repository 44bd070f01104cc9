using ArcBridgeDashboard.Probes.Catalog;
using ArcBridgeDashboard.Web.Configuration;
using ArcBridgeDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ArcBridgeDashboard.Web.Catalog;

/// <summary>What an imported markdown would change; <see cref="Errors"/> non-empty means it cannot be accepted.</summary>
public sealed record CatalogImportPreview(string? Version, CatalogDiff? Diff, IReadOnlyList<ImportError> Errors)
{
    public bool CanAccept => Errors.Count == 0 && Diff is not null;
}

/// <summary>Admin import of a newer allowlist: preview (writes nothing), then accept (one transaction).</summary>
public sealed class CatalogImportService(ArcBridgeDbContext db, IOptions<ArcBridgeOptions> options, TimeProvider time)
{
    public async Task<CatalogImportPreview> PreviewAsync(string markdown, CancellationToken cancellationToken = default)
    {
        var import = AllowlistImporter.Import(markdown);
        if (!import.Success)
            return new CatalogImportPreview(import.Version, null, import.Errors);
        var incoming = DefaultCatalog.FromImport(import, FallbackVersion());
        var active = await db.Endpoints.AsNoTracking().Where(e => e.CatalogVersion!.IsActive).ToListAsync(cancellationToken);
        return new CatalogImportPreview(incoming.Version, CatalogDiff.Compute(active.Select(e => e.ToContract()), incoming.Endpoints), []);
    }

    /// <summary>Imports again (never trusts a stale preview) and makes it the active version. Returns the new version id.</summary>
    public async Task<int> AcceptAsync(string markdown, CancellationToken cancellationToken = default)
    {
        var import = AllowlistImporter.Import(markdown);
        if (!import.Success)
            throw new InvalidOperationException("The allowlist does not import: " + string.Join("; ", import.Errors));
        var now = time.GetUtcNow();
        var snapshot = DefaultCatalog.FromImport(import, FallbackVersion());
        var settings = await new DashboardSettingsStore(db, options, time).GetProbeSettingsAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var previous = await db.Endpoints.AsNoTracking().Where(e => e.CatalogVersion!.IsActive).ToListAsync(cancellationToken);
        await db.CatalogVersions.Where(v => v.IsActive).ExecuteUpdateAsync(s => s.SetProperty(v => v.IsActive, false), cancellationToken);
        var version = NewVersion(snapshot, "import", markdown, now);
        // Keep operator-set per-endpoint intervals across versions.
        foreach (var endpoint in version.Endpoints)
            endpoint.IntervalSeconds = previous.FirstOrDefault(p => p.Key == endpoint.Key)?.IntervalSeconds;
        CatalogTargetSync.ApplyExpansion(version.Endpoints, settings, now);
        db.CatalogVersions.Add(version);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return version.Id;
    }

    internal static CatalogVersion NewVersion(CatalogSnapshot snapshot, string source, string markdown, DateTimeOffset now) => new()
    {
        Version = snapshot.Version,
        Source = source,
        ImportedAt = now,
        IsActive = true,
        RawMarkdown = markdown,
        Endpoints = [.. snapshot.Endpoints.DistinctBy(e => e.Key).Select(e => new MonitoredEndpoint
        {
            Key = e.Key, Service = e.Service, Port = e.Port, Protocol = e.Protocol, HostPattern = e.HostPattern,
            Sources = e.Sources, Purpose = e.Purpose, Origin = e.Origin, Note = e.Note, BypassProxy = e.BypassProxy,
        })],
    };

    private string FallbackVersion() => time.GetUtcNow().ToString("yyyy-MM-dd");
}
