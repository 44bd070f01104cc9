using ArcBridgeDashboard.Probes.Contracts;

namespace ArcBridgeDashboard.Web.Components.Pages.Allowlist;

/// <summary>One endpoint of the active catalog with the concrete target it expanded to.</summary>
public sealed record CatalogRow(
    string Service,
    int Port,
    TransportProtocol Protocol,
    string HostPattern,
    string? ExpandedHost,
    string? ExpansionNote,
    Sources Sources,
    string Purpose,
    EndpointOrigin Origin = EndpointOrigin.Allowlist,
    int? EndpointId = null)
{
    /// <summary>A wildcard the region could not expand and no override names: it cannot be probed yet.</summary>
    public bool NeedsHostname => ExpandedHost is null;
}

/// <summary>A syntax problem in pasted markdown, located for the operator.</summary>
public sealed record ImportLineError(int Line, int Column, string Message);

/// <summary>One endpoint that an import would add, remove or change.</summary>
public sealed record CatalogDiffRow(string Key, string Service, string Detail);

/// <summary>What accepting a pasted allowlist would do, or why it cannot be accepted.</summary>
public sealed record ImportPreviewModel(
    IReadOnlyList<ImportLineError> Errors,
    IReadOnlyList<CatalogDiffRow> Added,
    IReadOnlyList<CatalogDiffRow> Removed,
    IReadOnlyList<CatalogDiffRow> Changed)
{
    /// <summary>Rows the importer could not read: listed before Accept so nothing is dropped silently.</summary>
    public IReadOnlyList<ImportLineError> Warnings { get; init; } = [];
    /// <summary>The pasted document's date (ms.date) and the active catalog's.</summary>
    public string? Version { get; init; }
    public string? ActiveVersion { get; init; }

    public bool CanAccept => Errors.Count == 0;
    public bool HasChanges => Added.Count + Removed.Count + Changed.Count > 0;
    public bool IsOlder => Catalog.CatalogImportService.IsOlder(Version, ActiveVersion);
}

/// <summary>Accept pressed: the previewed markdown, and whether the operator confirmed importing an older version.</summary>
public sealed record ImportAcceptance(string Markdown, bool ConfirmedOlder);
