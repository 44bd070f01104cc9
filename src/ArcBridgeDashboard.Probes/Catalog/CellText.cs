using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ArcBridgeDashboard.Probes.Contracts;

namespace ArcBridgeDashboard.Probes.Catalog;

/// <summary>Cleans and interprets the text of allowlist cells.</summary>
internal static partial class CellText
{
    // "â€¯" is U+202F (narrow no-break space) encoded as UTF-8 and decoded as Windows-1252: the published doc has it.
    private static readonly string[] MisEncodedSpaces = ["\u00e2\u20ac\u00af", "\u00e2\u20ac\u2039", "\u00c2\u00a0"];

    // Words that join hosts in prose ("a.com and b.com"); anything else that is not a host is worth a warning.
    private static readonly HashSet<string> Connectors = new(StringComparer.OrdinalIgnoreCase) { "and", "or", "&", "+", "-", "tcp", "udp" };

    // Older docs name the management machine differently.
    private static readonly string[] ManagementMachineNames = ["management machine", "deployment machine", "host machine", "client machine"];

    /// <summary>
    /// The allowlist's placeholder phrases, longest first so "private cloud control plane address" is not read as
    /// "control plane …". Each stands for addresses the operator supplies in settings.
    /// </summary>
    private static readonly (string Phrase, string Placeholder)[] PlaceholderPhrases =
    [
        ("private cloud control plane address", ExtraRequirements.PrivateCloudAddress),
        ("private cloud management console", ExtraRequirements.PrivateCloudAddress),
        ("your dns server ips", ExtraRequirements.DnsServers),
        ("dns server ips", ExtraRequirements.DnsServers),
        ("dns server ip", ExtraRequirements.DnsServers),
        ("dns servers", ExtraRequirements.DnsServers),
        ("control plane ips", ExtraRequirements.ControlPlaneIp),
        ("control plane ip", ExtraRequirements.ControlPlaneIp),
        ("appliance vm ips", ExtraRequirements.ApplianceVmIps),
        ("appliance vm ip", ExtraRequirements.ApplianceVmIps),
    ];

    public static string Clean(string raw)
    {
        var text = LineBreak().Replace(raw, " ");
        foreach (var junk in MisEncodedSpaces)
            text = text.Replace(junk, " ", StringComparison.Ordinal);
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
            sb.Append(c is '\t' or '\u00a0' or '\u202f' or '\u200b' or '\u2009' ? ' ' : c);
        return Whitespace().Replace(sb.ToString(), " ").Trim();
    }

    /// <summary>Drops markdown emphasis so "**Port**" reads as "port".</summary>
    public static string HeaderName(string raw) => Clean(raw).Replace("*", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).Trim().ToLowerInvariant();

    /// <summary>Markdown emphasis and code marks removed, for Service and Notes.</summary>
    public static string Plain(string raw) => Clean(raw).Replace("**", "", StringComparison.Ordinal).Replace("`", "", StringComparison.Ordinal).Trim();

    /// <summary>
    /// Splits a URL cell into host patterns: backticks, commas, semicolons, spaces and line breaks separate entries;
    /// a scheme and any path are stripped (the allowlist is about hosts); parenthesised remarks such as
    /// "(not region dependent)" are dropped; "&lt;region&gt;" stays in the pattern for expansion; placeholder phrases such
    /// as "Your DNS server IPs" become placeholders. <paramref name="unread"/> gets each piece that is not a host.
    /// </summary>
    public static IReadOnlyList<string> Hosts(string cell, out IReadOnlyList<string> unread)
    {
        var text = Parenthesis().Replace(WithoutBackticks(Clean(cell)), " ");
        var hosts = TakePlaceholders(ref text);
        var problems = new List<string>();
        foreach (var token in text.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var host = token;
            var scheme = host.IndexOf("://", StringComparison.Ordinal);
            if (scheme >= 0)
                host = host[(scheme + 3)..];
            var slash = host.IndexOf('/');
            if (slash >= 0)
                host = host[..slash];
            host = host.TrimEnd('.').ToLowerInvariant();
            if (HostPattern().IsMatch(host))
            {
                if (!hosts.Contains(host))
                    hosts.Add(host);
            }
            else if (!Connectors.Contains(token))
            {
                problems.Add(token);
            }
        }
        unread = problems;
        return hosts;
    }

    /// <summary>Port numbers of a Port cell: "443", "6443, 2379, 2380"; <paramref name="unread"/> gets what is not one.</summary>
    public static IReadOnlyList<int> Ports(string cell, out IReadOnlyList<string> unread)
    {
        var ports = new List<int>();
        var problems = new List<string>();
        foreach (var token in Clean(cell).Replace('`', ' ').Split([',', ' ', ';', '/'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535)
            {
                if (!ports.Contains(port))
                    ports.Add(port);
            }
            else if (!Connectors.Contains(token))
            {
                problems.Add(token);
            }
        }
        unread = problems;
        return ports;
    }

    /// <summary>Reads who needs the endpoint from the Direction sentence; a parenthesis only qualifies, it never removes a source.</summary>
    public static Sources? Sources(string direction)
    {
        var text = Parenthesis().Replace(direction, " ").ToLowerInvariant();
        var sources = Contracts.Sources.None;
        if (ManagementMachineNames.Any(n => text.Contains(n, StringComparison.Ordinal)))
            sources |= Contracts.Sources.ManagementMachine;
        if (ApplianceVm().IsMatch(text))
            sources |= Contracts.Sources.ApplianceVm;
        return sources == Contracts.Sources.None ? null : sources;
    }

    /// <summary>The parties an inbound row's IP/machine cell names ("`appliance VM IPs` and `Management machine`").</summary>
    public static IReadOnlyList<string> Parties(string cell)
    {
        var text = Clean(cell).Replace('`', ' ').ToLowerInvariant();
        var parties = TakePlaceholders(ref text);
        if (ManagementMachineNames.Any(n => text.Contains(n, StringComparison.Ordinal)))
            parties.Add(ManagementMachineParty);
        return parties;
    }

    /// <summary>
    /// Backticks mark code; one inside a name ("`v20.events.data.microsoft.co`m", as published in 2022) is a typo
    /// and is dropped, any other separates like a space.
    /// </summary>
    private static string WithoutBackticks(string text)
    {
        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '`')
                sb.Append(text[i]);
            else if (i == 0 || i == text.Length - 1 || !IsNameChar(text[i - 1]) || !IsNameChar(text[i + 1]))
                sb.Append(' ');
        }
        return sb.ToString();
    }

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '*';

    public const string ManagementMachineParty = "management machine";

    /// <summary>The placeholders whose phrases <paramref name="text"/> holds, each phrase cut out of it so its words are not read again.</summary>
    private static List<string> TakePlaceholders(ref string text)
    {
        var found = new List<string>();
        foreach (var (phrase, placeholder) in PlaceholderPhrases)
        {
            var at = text.IndexOf(phrase, StringComparison.OrdinalIgnoreCase);
            if (at < 0)
                continue;
            if (!found.Contains(placeholder))
                found.Add(placeholder);
            text = string.Concat(text.AsSpan(0, at), " ", text.AsSpan(at + phrase.Length));
        }
        return found;
    }

    /// <summary>The doc says "All connections are TCP unless otherwise specified"; the NTP row specifies "on UDP".</summary>
    public static TransportProtocol Protocol(string direction, string hostCell)
        => Udp().IsMatch(direction) || UdpWord().IsMatch(hostCell) ? TransportProtocol.Udp : TransportProtocol.Tcp;

    /// <summary>Whether a host cell's only hosts are placeholders for the local network (appliance VM IPs, control plane, private cloud, management machine).</summary>
    public static bool NamesLocalParties(string cell)
        => Parties(cell).Any(p => p != ExtraRequirements.DnsServers)
           && Hosts(cell, out _).All(h => ExtraRequirements.IsPlaceholder(h) && h != ExtraRequirements.DnsServers);

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"<br\s*/?>", RegexOptions.IgnoreCase)]
    private static partial Regex LineBreak();

    // A leading "*." wildcard, or "<region>" standing for the configured region in one label.
    // At least two labels: a lone word in a cell is prose, not a host.
    [GeneratedRegex(@"^(\*\.)?([a-z0-9]([a-z0-9-]*[a-z0-9])?|<region>)(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$")]
    private static partial Regex HostPattern();

    [GeneratedRegex(@"\([^)]*\)")]
    private static partial Regex Parenthesis();

    [GeneratedRegex(@"\bappliance vms?\b")]
    private static partial Regex ApplianceVm();

    [GeneratedRegex(@"\bon udp\b", RegexOptions.IgnoreCase)]
    private static partial Regex Udp();

    [GeneratedRegex(@"\budp\b", RegexOptions.IgnoreCase)]
    private static partial Regex UdpWord();
}
