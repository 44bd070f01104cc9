using System.Globalization;
using System.Text;

namespace ArcBridgeDashboard.Agent.Check.Reports;

/// <summary>
/// Text that an endpoint, a proxy or an allowlist sent (a status line, a certificate subject, a host name) is made
/// inert before it reaches an operator's terminal or a ticket: an escape sequence could recolour, retitle or rewrite
/// the terminal, and markdown could turn a cell into a link.
/// </summary>
public static class ReportText
{
    /// <summary>Control characters (C0, DEL, C1) and bidirectional overrides shown as visible escapes (\x1b, \u202e).</summary>
    public static string Terminal(string text)
    {
        StringBuilder? builder = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var unsafeChar = char.IsControl(c) || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069';
            if (!unsafeChar)
            {
                builder?.Append(c);
                continue;
            }
            builder ??= new StringBuilder(text, 0, i, text.Length + 16);
            builder.Append(c <= '\u00FF'
                ? "\\x" + ((int)c).ToString("x2", CultureInfo.InvariantCulture)
                : "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture));
        }
        return builder?.ToString() ?? text;
    }

    /// <summary>One table cell of markdown: terminal-safe, on one line, with every markdown and HTML character escaped.</summary>
    public static string MarkdownCell(string text)
    {
        var safe = Terminal(text.ReplaceLineEndings(" "));
        var builder = new StringBuilder(safe.Length + 8);
        foreach (var c in safe)
        {
            switch (c)
            {
                case '<':
                    builder.Append("&lt;");
                    break;
                case '>':
                    builder.Append("&gt;");
                    break;
                case '&':
                    builder.Append("&amp;");
                    break;
                case '\\' or '`' or '*' or '_' or '[' or ']' or '(' or ')' or '#' or '!' or '|' or '~' or '{' or '}':
                    builder.Append('\\').Append(c);
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }
        return builder.ToString();
    }
}
