namespace ArcBridgeDashboard.Probes.Catalog;

/// <summary>One cell of a markdown table row, with where it starts so errors can point at it.</summary>
internal sealed record TableCell(string Text, int Column);

internal sealed record TableRow(int Line, IReadOnlyList<TableCell> Cells, int EndColumn);

/// <summary>
/// The first pipe table of a markdown document (header, separator, body rows). Front matter is skipped.
/// Tolerates what Microsoft Learn sources really contain: trailing spaces after the last pipe, tabs around cells.
/// </summary>
internal sealed record MarkdownTable(TableRow Header, IReadOnlyList<TableRow> Rows)
{
    public static MarkdownTable? Find(IReadOnlyList<string> lines, out string? frontMatterDate)
    {
        frontMatterDate = null;
        var start = 0;
        if (lines.Count > 0 && lines[0].Trim() == "---")
        {
            for (var i = 1; i < lines.Count; i++)
            {
                var line = lines[i].Trim();
                if (line == "---")
                {
                    start = i + 1;
                    break;
                }
                if (line.StartsWith("ms.date:", StringComparison.OrdinalIgnoreCase))
                    frontMatterDate = line["ms.date:".Length..].Trim();
            }
        }

        for (var i = start; i + 1 < lines.Count; i++)
        {
            if (!IsTableLine(lines[i]) || !IsSeparator(lines[i + 1]))
                continue;
            var header = Split(lines[i], i + 1);
            var rows = new List<TableRow>();
            for (var j = i + 2; j < lines.Count && IsTableLine(lines[j]); j++)
                rows.Add(Split(lines[j], j + 1));
            return new MarkdownTable(header, rows);
        }
        return null;
    }

    private static bool IsTableLine(string line) => line.TrimStart().StartsWith('|');

    private static bool IsSeparator(string line)
    {
        var t = line.Trim();
        return t.StartsWith('|') && t.Contains('-') && t.All(c => c is '|' or '-' or ':' or ' ' or '\t');
    }

    /// <summary>Splits on pipes; the leading pipe opens the row and a trailing pipe (before whitespace) closes it.</summary>
    private static TableRow Split(string line, int lineNumber)
    {
        var end = line.TrimEnd().Length;
        var first = line.IndexOf('|');
        var cells = new List<TableCell>();
        var cellStart = first + 1;
        for (var p = first + 1; p < end; p++)
        {
            if (line[p] != '|')
                continue;
            cells.Add(new TableCell(line[cellStart..p], cellStart + 1));
            cellStart = p + 1;
        }
        if (cellStart < end)
            cells.Add(new TableCell(line[cellStart..end], cellStart + 1));
        return new TableRow(lineNumber, cells, end + 1);
    }
}
