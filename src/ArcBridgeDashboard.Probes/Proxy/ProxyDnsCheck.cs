using System.Net;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Probes.Dns;
using ArcBridgeDashboard.Probes.Sweeps;

namespace ArcBridgeDashboard.Probes.Proxy;

/// <summary>The final word on a refused CONNECT: the phase to blame, the fault, and the proxy evidence with the DNS cross-check.</summary>
public sealed record ProxyVerdict(Phase Phase, PhaseFault Fault, ProxyDetails Details);

/// <summary>
/// Decides whether a refused CONNECT was the proxy's DNS or its way out. Proxies word a failed lookup differently
/// (squid 5 says ERR_CANNOT_FORWARD, tinyproxy "Unable to connect" for a missing name and a closed port alike), so when
/// DNS servers are configured they are asked about the name: the proxy most likely asks the same ones.
/// </summary>
public sealed class ProxyDnsCheck(DnsProbe dns)
{
    public async Task<ProxyVerdict> ExplainAsync(ProxyOutcome outcome, string host, IReadOnlyList<IPEndPoint> dnsServers,
        TimeSpan timeout, CancellationToken ct)
    {
        var fault = outcome.Fault ?? throw new ArgumentException("the tunnel opened; there is nothing to explain", nameof(outcome));
        var suspectsDns = outcome.Failure is ProxyFailure.Dns or ProxyFailure.NoDestination or ProxyFailure.Unclear;
        // An address literal is never looked up, so the proxy's DNS cannot be at fault.
        if (!suspectsDns || IPAddress.TryParse(host.Trim('[', ']'), out _))
            return new(Phase.Proxy, fault, outcome.Details);

        var proxySaid = fault.Detail;
        var saysDns = outcome.Failure is not ProxyFailure.Unclear;
        if (dnsServers.Count == 0)
        {
            return saysDns
                ? AtProxy(ReasonCode.ProxyDnsFailed, $"{proxySaid}; {Wording(outcome.Failure)}", outcome.Details)
                : new(Phase.Proxy, fault with { Detail = $"{proxySaid}; its answer does not tell a failed lookup from a failed connection (give --dns-server to tell them apart)" }, outcome.Details);
        }

        var answer = await dns.ResolveAsync(host, dnsServers, timeout, false, ct).ConfigureAwait(false);
        var details = outcome.Details with { DnsCheck = answer.Details };
        var server = answer.Details.Server;
        switch (answer.Fault?.Reason)
        {
            case ReasonCode.DnsNxDomain:
                return AtProxy(ReasonCode.ProxyDnsNxDomain, $"{proxySaid}; {server} answers NXDOMAIN for {host}", details);
            case ReasonCode.DnsRefused:
                return AtProxy(ReasonCode.ProxyDnsRefused, $"{proxySaid}; {server} answers REFUSED for {host}", details);
            case ReasonCode.DnsServFail or ReasonCode.DnsNoAddress:
                return AtProxy(ReasonCode.ProxyDnsFailed, $"{proxySaid}; {server} answers {answer.Details.ResponseCode ?? "SERVFAIL"} with no address for {host}", details);
            case null:
                var addresses = string.Join(", ", answer.Details.Addresses);
                return saysDns
                    ? AtProxy(ReasonCode.ProxyDnsFailed, $"{proxySaid}; {Wording(outcome.Failure)}, although {server} resolves {host} to {addresses}: the proxy asks other DNS servers", details)
                    : new(Phase.Proxy, fault with { Detail = $"{proxySaid}; {server} resolves {host} to {addresses}, so the proxy could not connect" }, details);
            default:
                // The cross-check got no answer either (timeout, no server): it cannot confirm or clear the proxy's DNS.
                return saysDns
                    ? AtProxy(ReasonCode.ProxyDnsFailed, $"{proxySaid}; {Wording(outcome.Failure)} (not confirmed: {answer.Fault.Detail})", details)
                    : new(Phase.Proxy, fault with { Detail = $"{proxySaid}; asking {server} about {host} did not help: {answer.Fault.Detail}" }, details);
        }
    }

    private static ProxyVerdict AtProxy(ReasonCode reason, string detail, ProxyDetails details) => new(Phase.Dns, new PhaseFault(reason, detail), details);

    private static string Wording(ProxyFailure failure) => failure == ProxyFailure.NoDestination
        ? "the proxy found no address to forward to"
        : "the proxy says the lookup failed";
}
