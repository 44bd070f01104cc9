using System.Globalization;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace ArcBridgeDashboard.Web.Reports;

/// <summary>
/// The PDF export: a one-page summary (verdict, counts, what blocks readiness), then the rows as a table. Every page
/// starts with the report's header (generated at, catalog version, cloud, region, proxy, agents) and ends with its
/// page number, so a single forwarded page still says what it is. A4 landscape: the evidence column needs the width.
/// </summary>
public static class ReportPdf
{
    private const double Margin = 36;
    private const double PageWidth = 842;
    private const double PageHeight = 595;
    private const double ContentWidth = PageWidth - 2 * Margin;
    private const double CellPadding = 3;

    private static readonly (string Title, double Width)[] Columns =
        [("Service and endpoint", 190), ("Source", 80), ("Verdict", 62), ("Finding and evidence", 243), ("Remedy", 195)];

    public static byte[] Render(ReadinessReport report, long id)
    {
        ReportFonts.EnsureInstalled();
        using var document = new PdfDocument();
        document.Info.Title = $"Readiness report {id}";
        document.Info.Author = report.Author;
        document.Info.Subject = $"Arc resource bridge readiness: {report.Verdict.DisplayName()}";
        var fonts = new Fonts();

        var writer = new PageWriter(document, report, id, fonts);
        writer.Summary();
        writer.Table();
        writer.Finish();

        using var stream = new MemoryStream();
        document.Save(stream, closeStream: false);
        return stream.ToArray();
    }

    private sealed class Fonts
    {
        public XFont Title { get; } = new(ReportFonts.Family, 20, XFontStyleEx.Bold);
        public XFont Verdict { get; } = new(ReportFonts.Family, 28, XFontStyleEx.Bold);
        public XFont Heading { get; } = new(ReportFonts.Family, 12, XFontStyleEx.Bold);
        public XFont Body { get; } = new(ReportFonts.Family, 10);
        public XFont Small { get; } = new(ReportFonts.Family, 7.5);
        public XFont SmallBold { get; } = new(ReportFonts.Family, 7.5, XFontStyleEx.Bold);
        public XFont Header { get; } = new(ReportFonts.Family, 7.5);
    }

    private sealed class PageWriter(PdfDocument document, ReadinessReport report, long id, Fonts fonts)
    {
        private XGraphics? _gfx;
        private double _y;

        private XGraphics Gfx => _gfx!;

        private void NewPage()
        {
            _gfx?.Dispose();
            var page = document.AddPage();
            page.Width = XUnit.FromPoint(PageWidth);
            page.Height = XUnit.FromPoint(PageHeight);
            _gfx = XGraphics.FromPdfPage(page);
            _y = Margin;
            DrawHeader();
        }

        private void DrawHeader()
        {
            var h = report.Header;
            var lines = new[]
            {
                $"ArcBridge readiness report #{id} · Generated {Utc(report.GeneratedAt)} by {report.Author} · Catalog version {h.CatalogVersion}",
                $"Cloud {h.Cloud} · Region {h.Region} · Proxy {h.Proxy}",
                $"Agents included: {h.AgentsText}",
            };
            foreach (var line in lines.SelectMany(l => Wrap(l, fonts.Header, ContentWidth)))
            {
                Gfx.DrawString(line, fonts.Header, XBrushes.DimGray, new XRect(Margin, _y, ContentWidth, 10), XStringFormats.TopLeft);
                _y += 9.5;
            }
            _y += 3;
            Gfx.DrawLine(new XPen(XColors.Silver, 0.5), Margin, _y, PageWidth - Margin, _y);
            _y += 8;
        }

        public void Summary()
        {
            NewPage();
            Text("Readiness report", fonts.Title, XBrushes.Black, 26);
            var colour = report.Verdict switch
            {
                ReportVerdict.Ready => XColor.FromArgb(0x1B, 0x5E, 0x20),
                ReportVerdict.NotReady => XColor.FromArgb(0xB7, 0x1C, 0x1C),
                _ => XColor.FromArgb(0x8A, 0x4B, 0x00),
            };
            Text($"Verdict: {report.Verdict.DisplayName()}", fonts.Verdict, new XSolidBrush(colour), 38);
            var c = report.Counts;
            Text($"{c.Ready} ready · {c.NotReady} not ready · {c.Incomplete} incomplete, of {c.Total} required endpoint × source checks",
                fonts.Body, XBrushes.Black, 22);
            Text(report.Blockers.Count == 0 ? "Nothing blocks readiness." : "What blocks readiness", fonts.Heading, XBrushes.Black, 18);
            var bottom = PageHeight - Margin - 24;
            for (var i = 0; i < report.Blockers.Count; i++)
            {
                var lines = Wrap(report.Blockers[i], fonts.Body, ContentWidth - 14);
                if (_y + lines.Count * 12.5 > bottom - 14)
                {
                    Text($"… and {report.Blockers.Count - i} more: see the tables on the following pages.", fonts.Body, XBrushes.Black, 14);
                    break;
                }
                Gfx.DrawString("•", fonts.Body, XBrushes.Black, new XRect(Margin, _y, 10, 12), XStringFormats.TopLeft);
                foreach (var line in lines)
                {
                    Gfx.DrawString(line, fonts.Body, XBrushes.Black, new XRect(Margin + 14, _y, ContentWidth - 14, 12), XStringFormats.TopLeft);
                    _y += 12.5;
                }
                _y += 3;
            }
        }

        public void Table()
        {
            NewPage();
            Text("Required endpoint × source checks", fonts.Heading, XBrushes.Black, 18);
            TableHeader();
            foreach (var row in report.Rows)
            {
                var cells = new[]
                {
                    $"{row.Service}\n{row.Endpoint}",
                    Components.Shared.DisplayNames.DisplayName(row.Role),
                    row.Verdict.DisplayName(),
                    Evidence(row),
                    row.Remedy,
                };
                var wrapped = cells.Select((text, i) => text.Split('\n').SelectMany(l => Wrap(l, fonts.Small, Columns[i].Width - 2 * CellPadding)).ToList()).ToList();
                var height = wrapped.Max(w => w.Count) * 9 + 2 * CellPadding;
                if (_y + height > PageHeight - Margin - 16)
                {
                    NewPage();
                    TableHeader();
                }
                var x = Margin;
                for (var i = 0; i < Columns.Length; i++)
                {
                    var font = i == 2 ? fonts.SmallBold : fonts.Small;
                    var ly = _y + CellPadding;
                    foreach (var line in wrapped[i])
                    {
                        Gfx.DrawString(line, font, XBrushes.Black, new XRect(x + CellPadding, ly, Columns[i].Width, 9), XStringFormats.TopLeft);
                        ly += 9;
                    }
                    x += Columns[i].Width;
                }
                _y += height;
                Gfx.DrawLine(new XPen(XColors.LightGray, 0.4), Margin, _y, PageWidth - Margin, _y);
            }
            if (report.Rows.Count == 0)
                Text("No required endpoint is in the active allowlist.", fonts.Body, XBrushes.Black, 14);
        }

        private static string Evidence(ReportRow row)
        {
            var lines = new List<string> { (row.Reason is { } reason && reason != Probes.Contracts.ReasonCode.Ok ? $"{reason}: " : "") + row.Finding };
            lines.AddRange(row.Evidence.Select(e => $"{e.Agent}, {Utc(e.CheckedAt)}{(e.Stale ? " (stale)" : "")}: {e.TimingsText}"));
            return string.Join('\n', lines);
        }

        private void TableHeader()
        {
            var x = Margin;
            Gfx.DrawRectangle(new XSolidBrush(XColor.FromArgb(0xEE, 0xEE, 0xEE)), Margin, _y, ContentWidth, 14);
            foreach (var (title, width) in Columns)
            {
                Gfx.DrawString(title, fonts.SmallBold, XBrushes.Black, new XRect(x + CellPadding, _y + 3, width, 10), XStringFormats.TopLeft);
                x += width;
            }
            _y += 14;
        }

        private void Text(string text, XFont font, XBrush brush, double lineHeight)
        {
            foreach (var line in Wrap(text, font, ContentWidth))
            {
                Gfx.DrawString(line, font, brush, new XRect(Margin, _y, ContentWidth, lineHeight), XStringFormats.TopLeft);
                _y += lineHeight;
            }
        }

        /// <summary>Page numbers go on last, when the count is known.</summary>
        public void Finish()
        {
            _gfx?.Dispose();
            _gfx = null;
            for (var i = 0; i < document.PageCount; i++)
            {
                using var gfx = XGraphics.FromPdfPage(document.Pages[i], XGraphicsPdfPageOptions.Append);
                gfx.DrawString($"Page {i + 1} of {document.PageCount}", fonts.Header, XBrushes.DimGray,
                    new XRect(Margin, PageHeight - Margin + 6, ContentWidth, 10), XStringFormats.TopRight);
            }
        }

        private List<string> Wrap(string text, XFont font, double width)
        {
            var lines = new List<string>();
            var current = "";
            foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = current.Length == 0 ? word : current + " " + word;
                if (Gfx.MeasureString(candidate, font).Width <= width)
                {
                    current = candidate;
                    continue;
                }
                if (current.Length > 0)
                    lines.Add(current);
                current = word;
                // A host name longer than the column is cut where it must be, not left to run over the next one.
                while (Gfx.MeasureString(current, font).Width > width && current.Length > 1)
                {
                    var fit = current.Length - 1;
                    while (fit > 1 && Gfx.MeasureString(current[..fit], font).Width > width)
                        fit--;
                    lines.Add(current[..fit]);
                    current = current[fit..];
                }
            }
            if (current.Length > 0 || lines.Count == 0)
                lines.Add(current);
            return lines;
        }
    }

    public static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
