using ArcBridgeDashboard.Probes.Contracts;

namespace ArcBridgeDashboard.Probes.Catalog;

/// <summary>One cell of a markdown table row, with where it starts so warnings can point at it.</summary>
internal sealed record TableCell(string Text, int Column);

internal sealed record TableRow(int Line, IReadOnlyList<TableCell> Cells, int EndColumn);

/// <summary>
/// A pipe table of a markdown document (header, separator, body rows) and the cloud whose tab it sits in.
/// Tolerates what Microsoft Learn sources really contain: trailing spaces after the last pipe, tabs around cells,
/// escaped pipes inside cells.
/// </summary>
internal sealed record MarkdownTable(TableRow Header, IReadOnlyList<TableRow> Rows, Cloud? Cloud, string? TabTitle)
{
    /// <summary>Every table of the document, in order, and the front matter's ms.date.</summary>
    public static IReadOnlyList<MarkdownTable> FindAll(IReadOnlyList<string> lines, out string? frontMatterDate)
    {
        var start = SkipFrontMatter(lines, out frontMatterDate);
        var tables = new List<MarkdownTable>();
        Cloud? cloud = Contracts.Cloud.AzureCloud;
        string? tab = null;
        for (var i = start; i < lines.Count; i++)
        {
            var trimmed = lines[i].Trim();
            // Learn's tab groups: "### [Azure Government](#tab/azure-government)" opens a tab, a lone "---" closes the group.
            if (trimmed.StartsWith('#') && trimmed.Contains("(#tab/", StringComparison.OrdinalIgnoreCase))
            {
                tab = TitleOf(trimmed);
                cloud = Clouds.TryParse(tab, out var named) ? named : null;
                continue;
            }
            if (trimmed == "---")
            {
                (cloud, tab) = (Contracts.Cloud.AzureCloud, null);
                continue;
            }
            if (i + 1 >= lines.Count || !IsTableLine(lines[i]) || !IsSeparator(lines[i + 1]))
                continue;
            var header = Split(lines[i], i + 1);
            var rows = new List<TableRow>();
            var j = i + 2;
            for (; j < lines.Count && IsTableLine(lines[j]); j++)
                rows.Add(Split(lines[j], j + 1));
            tables.Add(new MarkdownTable(header, rows, cloud, tab));
            i = j - 1;
        }
        return tables;
    }

    private static int SkipFrontMatter(IReadOnlyList<string> lines, out string? msDate)
    {
        msDate = null;
        if (lines.Count == 0 || lines[0].Trim() != "---")
            return 0;
        for (var i = 1; i < lines.Count; i++)
        {
            var line = lines[i].Trim();
            if (line == "---")
                return i + 1;
            if (line.StartsWith("ms.date:", StringComparison.OrdinalIgnoreCase))
                msDate = line["ms.date:".Length..].Trim();
        }
        return 0;
    }

    private static string TitleOf(string heading)
    {
        var open = heading.IndexOf('[', StringComparison.Ordinal);
        var close = heading.IndexOf(']', StringComparison.Ordinal);
        return open >= 0 && close > open ? heading[(open + 1)..close].Trim() : heading.TrimStart('#').Trim();
    }

    private static bool IsTableLine(string line) => line.TrimStart().StartsWith('|');

    private static bool IsSeparator(string line)
    {
        var t = line.Trim();
        return t.StartsWith('|') && t.Contains('-') && t.All(c => c is '|' or '-' or ':' or ' ' or '\t');
    }

    /// <summary>Splits on pipes that are not escaped; the leading pipe opens the row and a trailing pipe closes it.</summary>
    private static TableRow Split(string line, int lineNumber)
    {
        var end = line.TrimEnd().Length;
        var first = line.IndexOf('|');
        var cells = new List<TableCell>();
        var cellStart = first + 1;
        for (var p = first + 1; p < end; p++)
        {
            if (line[p] != '|' || line[p - 1] == '\\')
                continue;
            cells.Add(new TableCell(line[cellStart..p].Replace("\\|", "|", StringComparison.Ordinal), cellStart + 1));
            cellStart = p + 1;
        }
        if (cellStart < end)
            cells.Add(new TableCell(line[cellStart..end].Replace("\\|", "|", StringComparison.Ordinal), cellStart + 1));
        return new TableRow(lineNumber, cells, end + 1);
    }
}
