using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace ArcBridgeDashboard.Probes.Proxy;

/// <summary>What a proxy's refusal to open a tunnel says about why, read from its error header, status text and page.</summary>
public enum ProxyFailure
{
    /// <summary>The tunnel opened, or the answer says nothing about reaching the target (403, 407, 501, a bare 500).</summary>
    None,
    /// <summary>The proxy says it could not resolve the name (squid ERR_DNS_FAIL, "could not resolve", "Name or service not known"...).</summary>
    Dns,
    /// <summary>The proxy found no address to forward to (squid ERR_CANNOT_FORWARD): without a parent proxy that is its DNS.</summary>
    NoDestination,
    /// <summary>A 5xx whose words fit DNS and connect failures alike (tinyproxy's "Unable to connect").</summary>
    Unclear,
    /// <summary>The proxy resolved the name but could not connect (squid ERR_CONNECT_FAIL, "Connection refused"...).</summary>
    Connect,
}

/// <summary>Reads a bounded excerpt of a proxy's error page and classifies what the proxy said.</summary>
public static partial class ProxyErrorPage
{
    /// <summary>Squid's page is ~3.4 KB, most of it CSS before the text that matters; more than this is never read.</summary>
    public const int MaxBodyBytes = 8 * 1024;
    private const int MaxExcerptChars = 400;
    private const int MaxHeaderChars = 200;

    /// <summary>
    /// Reads the body that follows a non-2xx CONNECT answer: Content-Length bytes, or up to the close (or the end of a
    /// chunked body), never more than <see cref="MaxBodyBytes"/>. Stops quietly on timeout: the page is evidence, not a verdict.
    /// </summary>
    public static async Task<string> ReadBodyAsync(Stream stream, string[] headLines, CancellationToken ct)
    {
        var length = Header(headLines, "Content-Length") is { } cl && long.TryParse(cl, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1;
        var chunked = Header(headLines, "Transfer-Encoding")?.Contains("chunked", StringComparison.OrdinalIgnoreCase) == true;
        var limit = (int)Math.Min(length >= 0 ? length : MaxBodyBytes, MaxBodyBytes);
        var buffer = new byte[MaxBodyBytes];
        var read = 0;
        try
        {
            while (read < limit)
            {
                var got = await stream.ReadAsync(buffer.AsMemory(read, limit - read), ct).ConfigureAwait(false);
                if (got == 0)
                    break;
                read += got;
                if (chunked && EndsWithLastChunk(buffer, read))
                    break;
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // keep what arrived
        }
        var text = Encoding.UTF8.GetString(buffer, 0, read);
        return chunked ? Dechunk(text) : text;
    }

    /// <summary>The page's visible text as lines: head, styles and scripts dropped, tags removed, entities decoded, printable only.</summary>
    public static IReadOnlyList<string> TextLines(string body)
    {
        var text = HiddenParts().Replace(body, "\n");
        // Block elements end a line; inline ones (a, b, i) sit inside one: "retrieve the URL: https://x/*" stays whole.
        text = BlockTags().Replace(text, "\n");
        text = Tags().Replace(text, "");
        text = WebUtility.HtmlDecode(text);
        return text.Split('\n')
            .Select(line => Printable(Whitespace().Replace(line, " ")).Trim())
            .Where(line => line.Length > 0)
            .ToList();
    }

    /// <summary>The first lines of the page's text joined by " | ", at most <see cref="MaxExcerptChars"/> characters.</summary>
    public static string? Excerpt(IReadOnlyList<string> lines) => lines.Count == 0 ? null : Bound(string.Join(" | ", lines), MaxExcerptChars);

    /// <summary>The proxy's error code header with its name: squid's X-Squid-Error, or the standard Proxy-Status (RFC 9209).</summary>
    public static string? ErrorHeader(string[] headLines)
    {
        foreach (var name in new[] { "X-Squid-Error", "Proxy-Status" })
        {
            if (Header(headLines, name) is { Length: > 0 } value)
                return Bound($"{name}: {Printable(value)}", MaxHeaderChars);
        }
        return null;
    }

    /// <summary>
    /// Squid's error code decides when there is one (its pages are translated, the code is not); otherwise the words of
    /// the error header, the status text and the page. The target's own name is blanked first: "dns.contoso.com" in the
    /// quoted URL must not read as a DNS failure.
    /// </summary>
    public static ProxyFailure Classify(int? status, string statusLine, string? errorHeader, IReadOnlyList<string> lines, string host)
    {
        if (status is not (500 or 502 or 503 or 504))
            return ProxyFailure.None;
        var squid = errorHeader is not null && errorHeader.StartsWith("X-Squid-Error:", StringComparison.OrdinalIgnoreCase) ? errorHeader : "";
        if (squid.Contains("ERR_DNS_FAIL", StringComparison.OrdinalIgnoreCase))
            return ProxyFailure.Dns;
        if (squid.Contains("ERR_CANNOT_FORWARD", StringComparison.OrdinalIgnoreCase))
            return ProxyFailure.NoDestination;
        if (squid.Contains("ERR_CONNECT_FAIL", StringComparison.OrdinalIgnoreCase) || squid.Contains("TIMEOUT", StringComparison.OrdinalIgnoreCase))
            return ProxyFailure.Connect;

        var words = string.Join('\n', [errorHeader ?? "", statusLine, .. lines]).Replace(host, "<target>", StringComparison.OrdinalIgnoreCase);
        if (DnsWords().IsMatch(words))
            return ProxyFailure.Dns;
        if (ConnectWords().IsMatch(words))
            return ProxyFailure.Connect;
        // Gateway statuses mean the way on failed by definition; a bare 500 only when it says it could not get there.
        return status != 500 || ReachWords().IsMatch(words) ? ProxyFailure.Unclear : ProxyFailure.None;
    }

    public static string? Header(string[] lines, string name)
    {
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':');
            if (colon > 0 && line.AsSpan(0, colon).Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
                return line[(colon + 1)..].Trim();
        }
        return null;
    }

    // Control and format characters (bidi overrides, zero-width) would let a proxy's page disguise what it says.
    private static string Printable(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            var category = char.GetUnicodeCategory(c);
            if (c == '\t')
                builder.Append(' ');
            else if (!char.IsControl(c) && category is not (UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned))
                builder.Append(c);
        }
        return builder.ToString();
    }

    private static string Bound(string text, int max) => text.Length <= max ? text : text[..(max - 1)].TrimEnd() + "…";

    private static bool EndsWithLastChunk(byte[] buffer, int length)
        => length >= 5 && buffer[length - 5] == '0' && buffer[length - 4] == '\r' && buffer[length - 3] == '\n'
            && buffer[length - 2] == '\r' && buffer[length - 1] == '\n';

    // Lenient: a cut-off chunk keeps what arrived; the result is only ever shown as an excerpt.
    private static string Dechunk(string raw)
    {
        var body = new StringBuilder();
        var at = 0;
        while (at < raw.Length)
        {
            var end = raw.IndexOf("\r\n", at, StringComparison.Ordinal);
            if (end < 0 || !int.TryParse(raw.AsSpan(at, end - at).Trim().ToString().Split(';')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var size) || size <= 0)
                break;
            var start = end + 2;
            var take = Math.Min(size, raw.Length - start);
            body.Append(raw, start, take);
            at = start + take + 2;
        }
        return body.ToString();
    }

    [GeneratedRegex(@"<(head|style|script)\b.*?</\1\s*>|<!--.*?-->", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex HiddenParts();

    [GeneratedRegex(@"</?(p|br|div|h[1-6]|li|ul|ol|tr|td|th|table|blockquote|pre|hr|title|body|html)\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex BlockTags();

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"\bdns|resolv|name or service not known|address info|unknown host|host not found|no such host|nxdomain|name resolution|determine ip address",
        RegexOptions.IgnoreCase)]
    private static partial Regex DnsWords();

    [GeneratedRegex(@"connection refused|refused the connection|timed out|no route to host|network is unreachable|host is unreachable|connection reset",
        RegexOptions.IgnoreCase)]
    private static partial Regex ConnectWords();

    [GeneratedRegex(@"connect|forward|reach|retriev", RegexOptions.IgnoreCase)]
    private static partial Regex ReachWords();
}
