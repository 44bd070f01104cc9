using System.Globalization;
using ArcBridgeDashboard.Probes.Contracts;

namespace ArcBridgeDashboard.Probes.Catalog;

/// <summary>
/// Reads the Microsoft Learn markdown allowlist, every published shape of it: the outbound URL tables (one per cloud
/// tab) and the inbound IP/machine table, in any order. What a person can read is imported; a row that cannot be
/// understood becomes a warning with its line and column, never a silent drop. Only a document that is not an
/// allowlist at all (no table with a URL or IP/machine column, or not one endpoint in it) is refused.
/// </summary>
public static class AllowlistImporter
{
    public static ImportResult Import(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).TrimStart('\uFEFF').Split('\n');
        var tables = MarkdownTable.FindAll(lines, out var msDate);
        if (tables.Count == 0)
            return Failed(new ImportError(1, 1, "no markdown table (header row followed by a |--| separator) found: this is not an allowlist"));

        var warnings = new List<ImportError>();
        var merged = new Dictionary<string, CatalogEndpoint>();
        var order = new List<string>();
        var understood = 0;
        foreach (var table in tables)
        {
            var reader = AllowlistTableReader.For(table, warnings);
            if (reader is null)
                continue;
            understood++;
            foreach (var endpoint in reader.Read(warnings))
                Merge(merged, order, endpoint);
        }

        if (understood == 0)
            return Failed(new ImportError(tables[0].Header.Line, 1,
                "no table has a URL or IP/machine column (expected Service, Port, URL, Direction, Notes): this is not an allowlist"), warnings);
        if (order.Count == 0)
            return Failed(new ImportError(tables[0].Header.Line, 1, "not one endpoint could be read from the tables (see the warnings)"), warnings);
        var endpoints = order.Select(k => merged[k]).ToList();
        return new ImportResult(endpoints, []) { Version = NormaliseDate(msDate), Warnings = warnings };
    }

    /// <summary>The same host:port/proto in one cloud on several rows is one endpoint: every source, service and note kept.</summary>
    private static void Merge(Dictionary<string, CatalogEndpoint> merged, List<string> order, CatalogEndpoint endpoint)
    {
        if (!merged.TryGetValue(endpoint.Identity, out var existing))
        {
            merged[endpoint.Identity] = endpoint;
            order.Add(endpoint.Identity);
            return;
        }
        merged[endpoint.Identity] = existing with
        {
            Sources = existing.Sources | endpoint.Sources,
            Service = Join(existing.Service, endpoint.Service, "; "),
            Purpose = Join(existing.Purpose, endpoint.Purpose, " "),
            Note = existing.Note is null || endpoint.Note is null ? existing.Note ?? endpoint.Note : Join(existing.Note, endpoint.Note, " "),
            BypassProxy = existing.BypassProxy || endpoint.BypassProxy,
        };
    }

    private static string Join(string a, string b, string separator)
    {
        if (b.Length == 0 || a.Split(separator).Contains(b, StringComparer.OrdinalIgnoreCase))
            return a;
        return a.Length == 0 ? b : a + separator + b;
    }

    /// <summary>ms.date is MM/dd/yyyy; the catalog version is its ISO form so versions sort.</summary>
    private static string? NormaliseDate(string? msDate)
        => DateOnly.TryParseExact(msDate, ["MM/dd/yyyy", "M/d/yyyy"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : msDate;

    private static ImportResult Failed(ImportError error, IReadOnlyList<ImportError>? warnings = null)
        => new([], [error]) { Warnings = warnings ?? [] };
}

/// <summary>A problem at a line and column of the document (1-based).</summary>
public sealed record ImportError(int Line, int Column, string Message)
{
    public override string ToString() => $"line {Line}, column {Column}: {Message}";
}

public sealed record ImportResult(IReadOnlyList<CatalogEndpoint> Endpoints, IReadOnlyList<ImportError> Errors)
{
    /// <summary>False only when the document is not an allowlist at all; rows it could not read are <see cref="Warnings"/>.</summary>
    public bool Success => Errors.Count == 0;

    /// <summary>Rows, cells and tables that could not be understood: shown beside the diff before Accept.</summary>
    public IReadOnlyList<ImportError> Warnings { get; init; } = [];

    /// <summary>The document's ms.date as yyyy-MM-dd (null when the front matter has none).</summary>
    public string? Version { get; init; }
}
