using System.Net;
using System.Net.Sockets;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Probes.Sweeps;
using DnsClient;
using DnsClient.Protocol;

namespace ArcBridgeDashboard.Probes.Dns;

/// <summary>The outcome of resolving one name: addresses, CNAME chain and, when it failed, why.</summary>
public sealed record DnsOutcome(DnsDetails Details, IReadOnlyList<IPAddress> Addresses, PhaseFault? Fault);

/// <summary>Resolves A and AAAA records with DnsClient, keeping NXDOMAIN, SERVFAIL, REFUSED and timeouts apart.</summary>
public sealed class DnsProbe
{
    public async Task<DnsOutcome> ResolveAsync(string host, IReadOnlyList<IPEndPoint> servers, TimeSpan timeout,
        bool useTcpOnly = false, CancellationToken cancellationToken = default)
    {
        var serverText = servers.Count == 0 ? "system" : string.Join(",", servers.Select(s => s.ToString()));
        var client = CreateClient(servers, timeout, useTcpOnly);
        if (client.NameServers.Count == 0)
            return new DnsOutcome(new DnsDetails(), [], NoServer);

        // A and AAAA in parallel: a sweep's DNS phase costs one round trip, not two.
        var v4 = QueryAsync(client, host, QueryType.A, cancellationToken);
        var v6 = QueryAsync(client, host, QueryType.AAAA, cancellationToken);
        var answers = await Task.WhenAll(v4, v6).ConfigureAwait(false);

        var addresses = answers.SelectMany(a => a.Addresses).Distinct().ToList();
        var cnames = answers[0].Cnames.Count >= answers[1].Cnames.Count ? answers[0].Cnames : answers[1].Cnames;
        var chain = cnames.Count == 0 ? (IReadOnlyList<string>)[] : [host, .. cnames];
        var rcode = answers[0].ResponseCode ?? answers[1].ResponseCode;
        var details = new DnsDetails
        {
            Server = answers[0].Server ?? serverText,
            ResponseCode = rcode,
            Addresses = addresses.Select(a => a.ToString()).ToList(),
            CnameChain = chain,
        };
        if (addresses.Count > 0)
            return new DnsOutcome(details, addresses, null);

        var fault = answers[0].Fault ?? answers[1].Fault
            ?? new PhaseFault(ReasonCode.DnsNoAddress, $"{serverText} answered {rcode ?? "NOERROR"} with no addresses");
        return new DnsOutcome(details, addresses, fault);
    }

    // DnsClient reads the system list (/etc/resolv.conf on Linux) and throws at query time when it is empty.
    private static readonly PhaseFault NoServer = new(ReasonCode.DnsNoServer, OperatingSystem.IsWindows()
        ? "the system's resolver list is empty (no DNS server on any network adapter that is up) and no --dns-server was given"
        : "the system's resolver list is empty (no nameserver in /etc/resolv.conf, or no network interface up) and no --dns-server was given");

    /// <summary>Arc resource bridge does not support the .local domain (it is multicast DNS).</summary>
    public static bool IsLocalName(string host) => host.TrimEnd('.').EndsWith(".local", StringComparison.OrdinalIgnoreCase);

    /// <summary>One query of one type; used by the Dns probe kind to check a server answers at all.</summary>
    public async Task<(string? ResponseCode, PhaseFault? Fault)> QueryServerAsync(IPEndPoint server, string name,
        TimeSpan timeout, bool useTcpOnly, CancellationToken cancellationToken)
    {
        var answer = await QueryAsync(CreateClient([server], timeout, useTcpOnly), name, QueryType.A, cancellationToken)
            .ConfigureAwait(false);
        return (answer.ResponseCode, answer.Fault);
    }

    private static LookupClient CreateClient(IReadOnlyList<IPEndPoint> servers, TimeSpan timeout, bool useTcpOnly)
    {
        var options = servers.Count == 0 ? new LookupClientOptions() : new LookupClientOptions(servers.ToArray());
        options.Timeout = timeout;
        options.Retries = 0;
        options.UseCache = false;
        options.ThrowDnsErrors = false;
        options.ContinueOnDnsError = false;
        options.ContinueOnEmptyResponse = false;
        options.UseTcpOnly = useTcpOnly;
        options.UseTcpFallback = true;
        return new LookupClient(options);
    }

    private static async Task<Answer> QueryAsync(LookupClient client, string host, QueryType type, CancellationToken ct)
    {
        try
        {
            var response = await client.QueryAsync(host, type, QueryClass.IN, ct).ConfigureAwait(false);
            var server = response.NameServer?.ToString();
            var rcode = ResponseCodeName(response.Header.ResponseCode);
            var addresses = response.Answers.OfType<AddressRecord>().Select(r => r.Address).ToList();
            var cnames = response.Answers.OfType<CNameRecord>().Select(r => r.CanonicalName.Value.TrimEnd('.')).ToList();
            PhaseFault? fault = response.Header.ResponseCode switch
            {
                DnsHeaderResponseCode.NotExistentDomain => new(ReasonCode.DnsNxDomain, $"{server} answered NXDOMAIN"),
                DnsHeaderResponseCode.ServerFailure => new(ReasonCode.DnsServFail, $"{server} answered SERVFAIL"),
                DnsHeaderResponseCode.Refused => new(ReasonCode.DnsRefused, $"{server} answered REFUSED"),
                DnsHeaderResponseCode.NoError => null,
                var other => new(ReasonCode.DnsServFail, $"{server} answered {other}"),
            };
            return new Answer(server, rcode, addresses, cnames, fault);
        }
        catch (DnsResponseException ex) when (ex.Code == DnsResponseCode.ConnectionTimeout)
        {
            return Answer.Failed(new PhaseFault(ReasonCode.DnsTimeout, $"no answer within the timeout ({ex.Message})"));
        }
        catch (DnsResponseException ex)
        {
            return Answer.Failed(new PhaseFault(ClassifyTransport(ex), ex.Message));
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return Answer.Failed(new PhaseFault(ReasonCode.DnsTimeout, "no answer within the timeout"));
        }
        catch (ArgumentOutOfRangeException ex) when (ex.ParamName == "servers")
        {
            // The system list can empty between building the client and the query (resolv.conf rewritten by DHCP).
            return Answer.Failed(NoServer);
        }
        catch (SocketException ex)
        {
            return Answer.Failed(new PhaseFault(ReasonCode.DnsTimeout, $"cannot reach the DNS server ({ex.SocketErrorCode})"));
        }
    }

    // A DNS server that drops TCP with a reset is as useless as one that never answers: both read as "no answer".
    private static ReasonCode ClassifyTransport(DnsResponseException ex)
        => ex.Code is DnsResponseCode.ConnectionTimeout or DnsResponseCode.Unassigned
            ? ReasonCode.DnsTimeout
            : ReasonCode.DnsServFail;

    private static string ResponseCodeName(DnsHeaderResponseCode code) => code switch
    {
        DnsHeaderResponseCode.NoError => "NOERROR",
        DnsHeaderResponseCode.NotExistentDomain => "NXDOMAIN",
        DnsHeaderResponseCode.ServerFailure => "SERVFAIL",
        DnsHeaderResponseCode.Refused => "REFUSED",
        _ => code.ToString().ToUpperInvariant(),
    };

    private sealed record Answer(string? Server, string? ResponseCode, IReadOnlyList<IPAddress> Addresses,
        IReadOnlyList<string> Cnames, PhaseFault? Fault)
    {
        public static Answer Failed(PhaseFault fault) => new(null, null, [], [], fault);
    }
}
