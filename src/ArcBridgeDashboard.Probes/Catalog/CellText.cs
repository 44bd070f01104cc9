using System.Text;
using System.Text.RegularExpressions;
using ArcBridgeDashboard.Probes.Contracts;

namespace ArcBridgeDashboard.Probes.Catalog;

/// <summary>Cleans and interprets the text of allowlist cells.</summary>
internal static partial class CellText
{
    // "â€¯" is U+202F (narrow no-break space) encoded as UTF-8 and decoded as Windows-1252: the published doc has it.
    private static readonly string[] MisEncodedSpaces = ["\u00e2\u20ac\u00af", "\u00e2\u20ac\u2039", "\u00c2\u00a0"];

    public static string Clean(string raw)
    {
        var text = raw;
        foreach (var junk in MisEncodedSpaces)
            text = text.Replace(junk, " ", StringComparison.Ordinal);
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
            sb.Append(c is '\t' or '\u00a0' or '\u202f' or '\u200b' or '\u2009' ? ' ' : c);
        return Whitespace().Replace(sb.ToString(), " ").Trim();
    }

    /// <summary>Drops markdown emphasis so "**Port**" reads as "port".</summary>
    public static string HeaderName(string raw) => Clean(raw).Replace("*", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).Trim().ToLowerInvariant();

    /// <summary>
    /// Splits a URL cell into host patterns: backticks, commas and spaces separate entries; a scheme and any path
    /// are stripped because the allowlist is about hosts. Returns null (and an error text) for anything not a host.
    /// </summary>
    public static IReadOnlyList<string>? Hosts(string cell, out string? error)
    {
        error = null;
        var hosts = new List<string>();
        var tokens = cell.Replace('`', ' ').Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var token in tokens)
        {
            var host = token;
            var scheme = host.IndexOf("://", StringComparison.Ordinal);
            if (scheme >= 0)
                host = host[(scheme + 3)..];
            var slash = host.IndexOf('/');
            if (slash >= 0)
                host = host[..slash];
            host = host.TrimEnd('.').ToLowerInvariant();
            if (!HostPattern().IsMatch(host))
            {
                error = $"'{token}' is not a host name or wildcard pattern (only a leading '*.' is allowed)";
                return null;
            }
            hosts.Add(host);
        }
        if (hosts.Count == 0)
        {
            error = "the URL cell holds no host";
            return null;
        }
        return hosts;
    }

    /// <summary>Reads who needs the endpoint from the Direction sentence; a parenthesis only qualifies, it never removes a source.</summary>
    public static Sources? Sources(string direction)
    {
        var text = Parenthesis().Replace(direction, " ").ToLowerInvariant();
        var sources = Contracts.Sources.None;
        if (text.Contains("management machine", StringComparison.Ordinal))
            sources |= Contracts.Sources.ManagementMachine;
        if (ApplianceVm().IsMatch(text))
            sources |= Contracts.Sources.ApplianceVm;
        return sources == Contracts.Sources.None ? null : sources;
    }

    /// <summary>The doc says "All connections are TCP unless otherwise specified"; the NTP row specifies "on UDP".</summary>
    public static TransportProtocol Protocol(string direction)
        => Udp().IsMatch(direction) ? TransportProtocol.Udp : TransportProtocol.Tcp;

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$")]
    private static partial Regex HostPattern();

    [GeneratedRegex(@"\([^)]*\)")]
    private static partial Regex Parenthesis();

    [GeneratedRegex(@"\bappliance vms?\b")]
    private static partial Regex ApplianceVm();

    [GeneratedRegex(@"\bon udp\b", RegexOptions.IgnoreCase)]
    private static partial Regex Udp();
}
