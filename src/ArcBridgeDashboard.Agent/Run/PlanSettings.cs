using System.Net;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Probes.Proxy;
using ArcBridgeDashboard.Probes.Tls;

namespace ArcBridgeDashboard.Agent.Run;

/// <summary>
/// The probe settings for a plan, with this machine's own --proxy and --dns-server taking precedence. Roots are the
/// other way round: the dashboard's trusted and expected roots are ADDED to the agent's own --trust-ca and
/// --expected-root (union by thumbprint), so the agent judges TLS like the built-in agent and still trusts what its
/// operator gave it locally.
/// </summary>
public static class PlanSettings
{
    public static ProbeSettings ToProbeSettings(AgentPlan plan, RunOptions options) => new()
    {
        Region = plan.Region,
        Cloud = plan.Cloud,
        Proxy = options.Proxy ?? (string.IsNullOrWhiteSpace(plan.Proxy) ? null : new Uri(plan.Proxy)),
        // The dashboard validated it; a plan that still carries a bad one fails the sweep with the reason logged.
        Gateway = string.IsNullOrWhiteSpace(plan.Gateway) ? null
            : ArcGateway.Parse(plan.Gateway, out var error) ?? throw new FormatException($"plan gateway: {error}"),
        ProxyUser = options.Proxy is null ? plan.ProxyUser : null,
        ProxyPassword = options.Proxy is null ? plan.ProxyPassword : null,
        NoProxy = plan.NoProxy,
        DnsServers = options.DnsServers.Count > 0 ? options.DnsServers : [.. plan.DnsServers.Select(ParseDns).OfType<IPEndPoint>()],
        // PemCertificates throws on a bad block: the sweep fails with that logged rather than judge TLS without the roots.
        TrustedRoots = PemCertificates.Union(options.TrustedRoots, PemCertificates.Parse(plan.TrustedRootsPem)),
        ExpectedRoots = PemCertificates.Union(options.ExpectedRoots, PemCertificates.Parse(plan.ExpectedRootsPem)) is { Count: > 0 } expected ? expected : null,
        PhaseTimeout = TimeSpan.FromSeconds(Math.Max(1, plan.PhaseTimeoutSeconds)),
        NtpWarnOffset = TimeSpan.FromSeconds(plan.NtpWarnSeconds),
        NtpFailOffset = TimeSpan.FromSeconds(plan.NtpFailSeconds),
        MaxParallelism = Math.Max(1, plan.MaxParallelism),
    };

    private static IPEndPoint? ParseDns(string text) =>
        IPEndPoint.TryParse(text, out var ep) ? (ep.Port == 0 ? new IPEndPoint(ep.Address, 53) : ep) : null;
}
