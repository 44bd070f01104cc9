using System.Net;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Probes.Sweeps;

namespace ArcBridgeDashboard.Probes.Ntp;

/// <summary>The NTP outcome: offset, round trip and stratum, and a fault when the clock or the answer is bad.</summary>
public sealed record NtpOutcome(NtpDetails Details, PhaseFault? Fault);

/// <summary>Asks a time server once and judges this machine's clock against the configured thresholds.</summary>
public sealed class NtpProbe(TimeProvider timeProvider)
{
    private readonly SntpClient _client = new(timeProvider);

    public async Task<NtpOutcome> CheckAsync(IPEndPoint server, TimeSpan warnOffset, TimeSpan failOffset, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var details = new NtpDetails { Server = server.ToString() };
        SntpReply? reply;
        try
        {
            reply = await _client.QueryAsync(server, timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (FormatException ex)
        {
            return new(details, new PhaseFault(ReasonCode.NtpInvalidResponse, ex.Message));
        }
        if (reply is null)
            return new(details, new PhaseFault(ReasonCode.NtpNoResponse, $"no reply from {server} within {timeout.TotalSeconds:0.#} s"));

        details = details with
        {
            OffsetMs = Math.Round(reply.Offset.TotalMilliseconds, 3),
            RoundTripMs = Math.Round(reply.RoundTrip.TotalMilliseconds, 3),
            Stratum = reply.Stratum,
        };
        if (reply.Mode != 4 || !reply.OriginMatches)
            return new(details, new PhaseFault(ReasonCode.NtpInvalidResponse, $"mode {reply.Mode}, origin timestamp {(reply.OriginMatches ? "matches" : "does not match")} the query"));
        if (reply.Stratum is 0 or > 15)
            return new(details, new PhaseFault(ReasonCode.NtpInvalidResponse, $"stratum {reply.Stratum} (kiss-o'-death or unsynchronised)"));
        if (reply.LeapIndicator == 3)
            return new(details, new PhaseFault(ReasonCode.NtpInvalidResponse, "the server says its clock is not synchronised (leap indicator 3)"));

        var skew = reply.Offset.Duration();
        var text = $"offset {reply.Offset.TotalSeconds:0.###} s against {server} (stratum {reply.Stratum})";
        if (skew >= failOffset)
            return new(details, new PhaseFault(ReasonCode.NtpSkewTooLarge, $"{text}, limit {failOffset.TotalMinutes:0.#} min"));
        if (skew > warnOffset)
            return new(details, new PhaseFault(ReasonCode.NtpSkewHigh, $"{text}, warning above {warnOffset.TotalSeconds:0.#} s"));
        return new(details, null);
    }
}
