using System.Net;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Components.Shared;
using ArcBridgeDashboard.Web.Monitoring.Status;

namespace ArcBridgeDashboard.Web.Reports;

/// <summary>
/// What to change for one row, said to the person who owns the proxy, firewall or clock: concrete (this host pattern,
/// this port, this inspecting issuer) where the reason tells us enough, the reason catalog's own remedy otherwise.
/// </summary>
public static class ReportRemedies
{
    /// <param name="hostPattern">The allowlist's pattern (a wildcard the proxy rule should name, not one expanded host).</param>
    /// <param name="interceptingIssuer">The issuer that re-signed the chain, when TLS inspection was seen.</param>
    /// <param name="bypassProxy">Arc reaches this target directly (internal addresses), never through the proxy.</param>
    public static string For(ReasonCode reason, string host, string hostPattern, int port, TransportProtocol protocol,
        string? interceptingIssuer = null, bool bypassProxy = false)
    {
        var pattern = string.IsNullOrWhiteSpace(hostPattern) ? host : hostPattern;
        var proto = protocol == TransportProtocol.Udp ? "UDP" : "TCP";
        return reason switch
        {
            ReasonCode.ProxyDenied when IsInternal(host) || bypassProxy =>
                $"Add `{host}` to noProxy: it is inside your network and Arc reaches it directly, not through the proxy.",
            ReasonCode.ProxyDenied => $"Allow `{pattern}` on the proxy (port {port}).",
            ReasonCode.ProxyUpstreamFailed when IsInternal(host) =>
                $"Add `{host}` to noProxy: the proxy cannot reach addresses inside your network.",
            ReasonCode.TlsInspected or ReasonCode.Http2Downgraded or ReasonCode.Http2Rejected or ReasonCode.GatewayInspected =>
                $"Exclude `{pattern}` from TLS inspection" + (interceptingIssuer is { Length: > 0 } issuer ? $"; the inspecting issuer was {issuer}." : "."),
            ReasonCode.NtpNoResponse or ReasonCode.NtpInvalidResponse => $"Allow UDP {port} to {host}.",
            ReasonCode.TcpTimeout or ReasonCode.TcpRefused or ReasonCode.TcpReset when bypassProxy =>
                $"Allow {proto} {port} from this machine to {host} on the firewall, and keep `{host}` in noProxy (Arc reaches it directly).",
            ReasonCode.TcpTimeout or ReasonCode.TcpRefused or ReasonCode.TcpReset =>
                $"Allow {proto} {port} to `{pattern}` on the firewall, or send it through the proxy.",
            ReasonCode.RevocationBlocked => $"Allow plain HTTP (port {port}) to `{pattern}` on the proxy and firewall.",
            _ => DisplayNames.ForDashboard(ReasonCatalog.Get(reason).Remedy) ?? "",
        };
    }

    /// <summary>Why a row is Incomplete, and what makes it known.</summary>
    public static (string Finding, string Remedy) ForUnknown(DisplayStatus status, Sources role, bool roleCovered, IReadOnlyList<string> staleAgents)
    {
        if (!roleCovered)
            return ($"No online agent covers {role.DisplayName()}.",
                $"Start or enrol an agent in the {role.DisplayName()} role (Agents page), then generate the report again.");
        return status switch
        {
            DisplayStatus.NeedsHostname => ("The wildcard has no concrete host to probe.", "Add a wildcard override in Settings."),
            DisplayStatus.Stale => ($"Results are stale ({string.Join(", ", staleAgents)}).",
                "Check that these agents are running and reach the dashboard, or press Check now."),
            _ => ("No result yet.", "Press Check now, or wait for the next sweep."),
        };
    }

    /// <summary>Private addresses and single-label or .local names: a public proxy never reaches them.</summary>
    private static bool IsInternal(string host)
    {
        if (IPAddress.TryParse(host, out var ip))
        {
            if (IPAddress.IsLoopback(ip) || ip.IsIPv6LinkLocal || ip.IsIPv6UniqueLocal)
                return true;
            var b = ip.MapToIPv4().GetAddressBytes();
            return ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
                && (b[0] == 10 || (b[0] == 172 && b[1] >= 16 && b[1] <= 31) || (b[0] == 192 && b[1] == 168) || (b[0] == 169 && b[1] == 254));
        }
        return !host.Contains('.', StringComparison.Ordinal) || host.EndsWith(".local", StringComparison.OrdinalIgnoreCase);
    }
}
