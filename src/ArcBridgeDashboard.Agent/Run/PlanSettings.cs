using System.Net;
using ArcBridgeDashboard.Probes.Contracts;

namespace ArcBridgeDashboard.Agent.Run;

/// <summary>The probe settings for a plan, with this machine's own --proxy and --dns-server taking precedence.</summary>
public static class PlanSettings
{
    public static ProbeSettings ToProbeSettings(AgentPlan plan, RunOptions options) => new()
    {
        Region = plan.Region,
        Proxy = options.Proxy ?? (string.IsNullOrWhiteSpace(plan.Proxy) ? null : new Uri(plan.Proxy)),
        ProxyUser = options.Proxy is null ? plan.ProxyUser : null,
        ProxyPassword = options.Proxy is null ? plan.ProxyPassword : null,
        NoProxy = plan.NoProxy,
        DnsServers = options.DnsServers.Count > 0 ? options.DnsServers : [.. plan.DnsServers.Select(ParseDns).OfType<IPEndPoint>()],
        PhaseTimeout = TimeSpan.FromSeconds(Math.Max(1, plan.PhaseTimeoutSeconds)),
        NtpWarnOffset = TimeSpan.FromSeconds(plan.NtpWarnSeconds),
        NtpFailOffset = TimeSpan.FromSeconds(plan.NtpFailSeconds),
        MaxParallelism = Math.Max(1, plan.MaxParallelism),
    };

    /// <summary>Floor for intervals from the plan, so a bad setting cannot make the agent probe in a loop.</summary>
    public const int MinIntervalSeconds = 10;

    public static TimeSpan IntervalOf(AgentPlan plan, RunOptions options) =>
        options.Interval ?? TimeSpan.FromSeconds(Math.Max(MinIntervalSeconds, plan.IntervalSeconds));

    private static IPEndPoint? ParseDns(string text) =>
        IPEndPoint.TryParse(text, out var ep) ? (ep.Port == 0 ? new IPEndPoint(ep.Address, 53) : ep) : null;
}
