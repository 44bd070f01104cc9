using System.Globalization;
using System.Text;

namespace ArcBridgeDashboard.Web.Reports;

/// <summary>
/// The CSV export: the header as leading "# key,value" lines, then one row per endpoint × source with its evidence.
/// Fields are quoted (RFC 4180), and a field that starts like a formula is prefixed, so a spreadsheet never runs it.
/// </summary>
public static class ReportCsv
{
    public static string Render(ReadinessReport report, long id)
    {
        var sb = new StringBuilder();
        var h = report.Header;
        Line(sb, "# report", id.ToString(CultureInfo.InvariantCulture));
        Line(sb, "# generated at", report.GeneratedAt.UtcDateTime.ToString("u", CultureInfo.InvariantCulture));
        Line(sb, "# author", report.Author);
        Line(sb, "# catalog version", h.CatalogVersion);
        Line(sb, "# cloud", h.Cloud);
        Line(sb, "# region", h.Region);
        Line(sb, "# proxy", h.Proxy);
        Line(sb, "# agents included", h.AgentsText);
        Line(sb, "# verdict", report.Verdict.DisplayName());
        Line(sb, "service", "host", "port", "protocol", "source", "verdict", "status", "reason", "finding", "remedy", "agents", "checked at", "timings");
        foreach (var r in report.Rows)
        {
            Line(sb, r.Service, r.Host, r.Port.ToString(CultureInfo.InvariantCulture), r.Protocol.ToString().ToLowerInvariant(),
                Components.Shared.DisplayNames.DisplayName(r.Role), r.Verdict.DisplayName(), Components.Shared.DisplayNames.DisplayName(r.Status),
                r.Reason?.ToString() ?? "", r.Finding, r.Remedy,
                string.Join("; ", r.Evidence.Select(e => e.Agent + (e.Stale ? " (stale)" : ""))),
                string.Join("; ", r.Evidence.Select(e => e.CheckedAt.UtcDateTime.ToString("u", CultureInfo.InvariantCulture))),
                string.Join("; ", r.Evidence.Select(e => e.TimingsText)));
        }
        return sb.ToString();
    }

    private static void Line(StringBuilder sb, params string[] fields)
    {
        sb.AppendJoin(',', fields.Select(Quote));
        sb.Append("\r\n");
    }

    private static string Quote(string field)
    {
        if (field.Length > 0 && field[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
            field = "'" + field;
        return "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
