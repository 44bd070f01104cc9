using ArcBridgeDashboard.Probes.Contracts;

namespace ArcBridgeDashboard.Probes.Catalog;

/// <summary>A catalog version: the allowlist's ms.date (yyyy-MM-dd) and its endpoints.</summary>
public sealed record CatalogSnapshot(string Version, IReadOnlyList<CatalogEndpoint> Endpoints)
{
    /// <summary>What the import could not read (see <see cref="ImportResult.Warnings"/>).</summary>
    public IReadOnlyList<ImportError> Warnings { get; init; } = [];
}

/// <summary>
/// The catalog the product ships with, so it works offline from the first start: the published allowlist markdown,
/// embedded byte for byte (Data/arc-resource-bridge-network-requirements.&lt;ms.date&gt;.md), plus <see cref="ExtraRequirements"/>.
/// </summary>
public static class DefaultCatalog
{
    public const string ResourceName = "ArcBridgeDashboard.Probes.Catalog.Data.arc-resource-bridge-network-requirements.md";

    private static readonly Lazy<CatalogSnapshot> Snapshot = new(Build);

    public static CatalogSnapshot Load() => Snapshot.Value;

    /// <summary>
    /// Builds a catalog from an imported allowlist: its endpoints plus, for each cloud it covers, the extra requirements
    /// the document does not list itself (older versions have no DNS row and no inbound table).
    /// </summary>
    public static CatalogSnapshot FromImport(ImportResult import, string fallbackVersion)
    {
        if (!import.Success)
            throw new ArgumentException("cannot build a catalog from a failed import", nameof(import));
        var listed = import.Endpoints.Select(e => e.Identity).ToHashSet(StringComparer.Ordinal);
        var extras = import.Endpoints.Select(e => e.Cloud).Distinct()
            .SelectMany(cloud => ExtraRequirements.All.Select(x => x with { Cloud = cloud }))
            .Where(x => !listed.Contains(x.Identity));
        return new CatalogSnapshot(import.Version ?? fallbackVersion, [.. import.Endpoints, .. extras]) { Warnings = import.Warnings };
    }

    public static string ReadEmbeddedMarkdown()
    {
        using var stream = typeof(DefaultCatalog).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing from the build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static CatalogSnapshot Build()
    {
        var import = AllowlistImporter.Import(ReadEmbeddedMarkdown());
        if (!import.Success)
            throw new InvalidOperationException("the embedded allowlist does not import: " + string.Join("; ", import.Errors));
        return FromImport(import, "embedded");
    }
}
