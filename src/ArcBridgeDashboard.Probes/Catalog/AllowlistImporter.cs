using System.Globalization;
using ArcBridgeDashboard.Probes.Contracts;

namespace ArcBridgeDashboard.Probes.Catalog;

/// <summary>Parses the Microsoft Learn markdown allowlist. All or nothing: any error rejects the whole document.</summary>
public static class AllowlistImporter
{
    private static readonly string[] RequiredColumns = ["service", "port", "url", "direction"];

    public static ImportResult Import(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).TrimStart('\uFEFF').Split('\n');
        var table = MarkdownTable.Find(lines, out var msDate);
        if (table is null)
            return Failed(new ImportError(1, 1, "no markdown table (header row followed by a |--| separator) found"));

        var errors = new List<ImportError>();
        var columns = new Dictionary<string, int>();
        for (var i = 0; i < table.Header.Cells.Count; i++)
            columns.TryAdd(CellText.HeaderName(table.Header.Cells[i].Text), i);
        foreach (var name in RequiredColumns.Where(n => !columns.ContainsKey(n)))
            errors.Add(new ImportError(table.Header.Line, 1, $"missing column '{name}' (expected Service, Port, URL, Direction, Notes)"));
        if (errors.Count > 0)
            return Failed(errors);
        if (table.Rows.Count == 0)
            return Failed(new ImportError(table.Header.Line, 1, "the table has no rows"));

        var endpoints = new List<CatalogEndpoint>();
        var firstLineByKey = new Dictionary<string, int>();
        foreach (var row in table.Rows)
        {
            foreach (var endpoint in ParseRow(row, table.Header.Cells.Count, columns, errors))
            {
                if (firstLineByKey.TryGetValue(endpoint.Key, out var firstLine))
                {
                    errors.Add(new ImportError(row.Line, row.Cells[columns["url"]].Column, $"duplicate endpoint {endpoint.Key}, first listed on line {firstLine}"));
                    continue;
                }
                firstLineByKey[endpoint.Key] = row.Line;
                endpoints.Add(endpoint);
            }
        }
        return errors.Count > 0 ? Failed(errors) : new ImportResult(endpoints, []) { Version = NormaliseDate(msDate) };
    }

    private static List<CatalogEndpoint> ParseRow(TableRow row, int headerCount, Dictionary<string, int> columns, List<ImportError> errors)
    {
        if (row.Cells.Count != headerCount)
        {
            var column = row.Cells.Count > headerCount ? row.Cells[headerCount].Column : row.EndColumn;
            errors.Add(new ImportError(row.Line, column, $"row has {row.Cells.Count} cells, the header has {headerCount}"));
            return [];
        }

        var before = errors.Count;
        var serviceCell = row.Cells[columns["service"]];
        var service = CellText.Clean(serviceCell.Text).Replace("*", "", StringComparison.Ordinal).Trim();
        if (service.Length == 0)
            errors.Add(new ImportError(row.Line, serviceCell.Column, "the Service cell is empty"));

        var portCell = row.Cells[columns["port"]];
        var portText = CellText.Clean(portCell.Text).Trim('`');
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            errors.Add(new ImportError(row.Line, portCell.Column, $"port '{portText}' is not a number from 1 to 65535"));

        var urlCell = row.Cells[columns["url"]];
        var hosts = CellText.Hosts(CellText.Clean(urlCell.Text), out var hostError);
        if (hosts is null)
            errors.Add(new ImportError(row.Line, urlCell.Column, hostError!));

        var directionCell = row.Cells[columns["direction"]];
        var direction = CellText.Clean(directionCell.Text);
        var sources = CellText.Sources(direction);
        if (sources is null)
            errors.Add(new ImportError(row.Line, directionCell.Column, $"unknown direction '{direction}': expected it to name the management machine and/or the appliance VM"));

        if (errors.Count > before)
            return [];
        var purpose = columns.TryGetValue("notes", out var notes) ? CellText.Clean(row.Cells[notes].Text) : "";
        return hosts!.Select(host => new CatalogEndpoint
        {
            Service = service,
            Port = port,
            Protocol = CellText.Protocol(direction),
            HostPattern = host,
            Sources = sources!.Value,
            Purpose = purpose,
        }).ToList();
    }

    /// <summary>ms.date is MM/dd/yyyy; the catalog version is its ISO form so versions sort.</summary>
    private static string? NormaliseDate(string? msDate)
        => DateOnly.TryParseExact(msDate, "MM/dd/yyyy", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : msDate;

    private static ImportResult Failed(params IEnumerable<ImportError> errors) => new([], errors.ToList());
}

public sealed record ImportError(int Line, int Column, string Message)
{
    public override string ToString() => $"line {Line}, column {Column}: {Message}";
}

public sealed record ImportResult(IReadOnlyList<CatalogEndpoint> Endpoints, IReadOnlyList<ImportError> Errors)
{
    public bool Success => Errors.Count == 0;

    /// <summary>The document's ms.date as yyyy-MM-dd (null when the front matter has none).</summary>
    public string? Version { get; init; }
}
