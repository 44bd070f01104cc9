using System.Globalization;
using ArcBridgeDashboard.Probes.Contracts;

namespace ArcBridgeDashboard.Bench.Seed;

/// <summary>One generated probe outcome, already in the stored shape.</summary>
public readonly record struct Outcome(Verdict Verdict, Phase Phase, ReasonCode Reason, double TotalMs, string Message, string Remedy, string TimingsJson, string DetailsJson);

/// <summary>
/// Deterministic, realistic history: healthy targets with latency noise, two flapping targets, an appliance-VM proxy
/// denial that is fixed two days before the end, a 90-minute site outage (agents 5-9) six days before the end, one agent
/// whose clock drifts (NTP warn) in the last four days, and rare sporadic DNS timeouts.
/// </summary>
public sealed class HistoryModel(IReadOnlyList<SeedAgent> agents, IReadOnlyList<SeedTarget> targets, DateTimeOffset start, DateTimeOffset end, int randomSeed = 42)
{
    private readonly Random _random = new(randomSeed);
    private readonly bool[,] _flapFailing = new bool[agents.Count, targets.Count];
    private readonly double[] _baseLatency = targets.Select((_, i) => 25.0 + (i * 37 % 160)).ToArray();
    private readonly DateTimeOffset _outageStart = new(end.AddDays(-6).UtcDateTime.Date.AddHours(2), TimeSpan.Zero);
    private readonly DateTimeOffset _proxyFixedAt = end.AddDays(-2);
    private readonly DateTimeOffset _driftFrom = end.AddDays(-4);

    public static string Describe() =>
        "healthy baseline + 2 flapping targets + appliance-VM proxy denial (fixed 2 d before end) + 90 min outage of agents 5-9 (6 d before end) + NTP drift on one agent (last 4 d) + 0.1% sporadic DNS timeouts";

    public Outcome Next(int agentIndex, int targetIndex, DateTimeOffset at)
    {
        var agent = agents[agentIndex];
        var target = targets[targetIndex];
        if (agentIndex is >= 4 and <= 8 && at >= _outageStart && at < _outageStart.AddMinutes(90) && start <= _outageStart)
            return Fail(Phase.Proxy, ReasonCode.ProxyUnreachable, target, 3000, "Proxy 10.20.0.5:3128 did not answer within 3 s", "Check that the proxy service is running and reachable from this site");
        if (target.Kind == ProbeKind.Ntp)
            return Ntp(agentIndex, at);
        if (agent.Role == Sources.ApplianceVm && targetIndex == 7 % targets.Count && at < _proxyFixedAt)
            return Fail(Phase.Proxy, ReasonCode.ProxyDenied, target, 40, $"Proxy answered CONNECT {target.Host}:443 with 403 Forbidden (Server: squid/6.13)", "Allow this host in the proxy policy for the appliance VM subnet");
        if (targetIndex == 3 % targets.Count || targetIndex == 11 % targets.Count)
        {
            ref var failing = ref _flapFailing[agentIndex, targetIndex];
            failing = failing ? _random.NextDouble() > 0.25 : _random.NextDouble() < 0.03;
            if (failing)
                return Fail(Phase.Tcp, ReasonCode.TcpTimeout, target, 3000, $"TCP connect to {target.Host}:443 timed out after 3 s", "A firewall drops this traffic: allow TCP 443 to this host");
        }
        if (_random.NextDouble() < 0.001)
            return Fail(Phase.Dns, ReasonCode.DnsTimeout, target, 3000, $"No DNS answer for {target.Host} within 3 s from 192.0.2.53", "Check that the configured DNS servers are reachable on UDP/TCP 53");
        return Pass(target, targetIndex);
    }

    private Outcome Pass(SeedTarget target, int targetIndex)
    {
        var total = _baseLatency[targetIndex] * (0.8 + 0.4 * _random.NextDouble()) * (_random.NextDouble() < 0.02 ? 4 : 1);
        var dns = total * 0.05; var tcp = total * 0.2; var tls = total * 0.45; var http = total - dns - tcp - tls;
        var timings = string.Create(CultureInfo.InvariantCulture, $"{{\"dns\":{dns:0.0},\"tcp\":{tcp:0.0},\"tls\":{tls:0.0},\"http\":{http:0.0},\"total\":{total:0.0}}}");
        var details = string.Create(CultureInfo.InvariantCulture,
            $"{{\"dns\":{{\"server\":\"192.0.2.53\",\"addresses\":[\"20.{targetIndex}.{targetIndex * 7 % 250}.{targetIndex * 13 % 250}\"]}},\"tls\":{{\"protocol\":\"Tls13\",\"cipher\":\"TLS_AES_256_GCM_SHA384\",\"alpn\":\"h2\"}},\"http\":{{\"statusCode\":200,\"version\":\"2.0\",\"http2Offered\":true}}}}");
        return new Outcome(Verdict.Pass, Phase.None, ReasonCode.Ok, Math.Round(total, 1), $"Reachable: HTTP 200 from {target.Host}", "", timings, details);
    }

    private Outcome Ntp(int agentIndex, DateTimeOffset at)
    {
        var drifting = agentIndex == 12 % agents.Count && at >= _driftFrom;
        var offset = drifting ? 60_000 + (at - _driftFrom).TotalMinutes * 20 : (_random.NextDouble() - 0.5) * 40;
        var rtt = 8 + _random.NextDouble() * 10;
        var timings = string.Create(CultureInfo.InvariantCulture, $"{{\"dns\":1.2,\"ntp\":{rtt:0.0},\"total\":{rtt + 1.2:0.0}}}");
        var details = string.Create(CultureInfo.InvariantCulture, $"{{\"ntp\":{{\"server\":\"time.windows.com\",\"offsetMs\":{offset:0.0},\"roundTripMs\":{rtt:0.0},\"stratum\":2}}}}");
        return drifting
            ? new Outcome(Verdict.Warn, Phase.Ntp, ReasonCode.NtpSkewHigh, Math.Round(rtt + 1.2, 1), string.Create(CultureInfo.InvariantCulture, $"Clock offset {offset / 1000:0} s from time.windows.com"), "Sync this machine's clock (chrony/w32time) before the offset reaches 30 min", timings, details)
            : new Outcome(Verdict.Pass, Phase.None, ReasonCode.Ok, Math.Round(rtt + 1.2, 1), string.Create(CultureInfo.InvariantCulture, $"Clock offset {offset:0} ms"), "", timings, details);
    }

    private static Outcome Fail(Phase phase, ReasonCode reason, SeedTarget target, double totalMs, string message, string remedy)
    {
        var timings = string.Create(CultureInfo.InvariantCulture, $"{{\"{phase.ToString().ToLowerInvariant()}\":{totalMs:0.0},\"total\":{totalMs:0.0}}}");
        var details = phase == Phase.Proxy
            ? $"{{\"connectedAddress\":\"10.20.0.5:3128\",\"proxy\":{{\"proxy\":\"http://10.20.0.5:3128\",\"statusCode\":{(reason == ReasonCode.ProxyDenied ? "403" : "null")},\"server\":\"squid/6.13\",\"via\":\"1.1 proxy.corp (squid/6.13)\"}}}}"
            : $"{{\"dns\":{{\"server\":\"192.0.2.53\",\"addresses\":[\"20.1.2.3\"]}},\"connectedAddress\":\"20.1.2.3:443\"}}";
        return new Outcome(Verdict.Fail, phase, reason, totalMs, message, remedy, timings, details);
    }
}
