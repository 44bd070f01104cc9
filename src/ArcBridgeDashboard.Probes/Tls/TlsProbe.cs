using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Probes.Sweeps;
using ArcBridgeDashboard.Probes.Tcp;

namespace ArcBridgeDashboard.Probes.Tls;

/// <summary>The handshake outcome: the authenticated stream (kept open for HTTP) when the handshake completed.</summary>
public sealed record TlsOutcome(SslStream? Stream, TlsDetails Details, PhaseFault? Fault);

/// <summary>TLS with SNI and ALPN (h2, http/1.1) over a raw or tunnelled stream; judges the chain itself.</summary>
public sealed class TlsProbe
{
    /// <param name="reconnect">Opens the same path again (direct or tunnelled); used once to tell a TLS 1.0/1.1-only peer from other handshake failures.</param>
    public async Task<TlsOutcome> HandshakeAsync(Stream inner, string host, IReadOnlyList<X509Certificate2> expectedRoots,
        IReadOnlyList<X509Certificate2> trustedRoots, DateTimeOffset now, TimeSpan timeout, CancellationToken cancellationToken,
        Func<CancellationToken, Task<Stream?>>? reconnect = null, bool offerHttp2 = true)
    {
        IReadOnlyList<CertificateSummary>? chainSummary = null;
        ChainAssessment? assessment = null;
        var ssl = new SslStream(inner, leaveInnerStreamOpen: false);
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = host.Trim('[', ']'),
            ApplicationProtocols = offerHttp2 ? [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11] : [SslApplicationProtocol.Http11],
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            // .NET resumes TLS sessions per target host by default (and then reports the cached chain). A probe must see
            // what the path presents now, with a full handshake every time, as blackbox_exporter does.
            AllowTlsResume = false,
            // SslStream builds the chain before calling back; give it our policy (expected ∪ trusted roots, the injected
            // clock, never the machine store, never downloading) so that one build serves the assessment too.
            CertificateChainPolicy = TlsInspectionDetector.Policy(expectedRoots, trustedRoots, now),
            // Always true: a bad chain is reported with its evidence after the handshake, not as an abort. All evidence is
            // read here, from the handshake's own certificates and chain, which SslStream disposes when the callback
            // returns: copying them out instead (a DER decode each, slow in OpenSSL 3) was a fifth of a probe's CPU.
            RemoteCertificateValidationCallback = (_, certificate, chain, _) =>
            {
                if (certificate is null)
                    return true;
                using var copy = certificate is X509Certificate2 ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
                var leaf = copy ?? (X509Certificate2)certificate;
                var presented = chain?.ChainPolicy.ExtraStore ?? [];
                chainSummary = SummariseChain(leaf, presented);
                assessment = chain is { ChainElements.Count: > 0 }
                    ? TlsInspectionDetector.Assess(chain, leaf, host, expectedRoots, trustedRoots, now)
                    : TlsInspectionDetector.Assess(leaf, presented, host, expectedRoots, trustedRoots, now);
                return true;
            },
        };

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            await ssl.AuthenticateAsClientAsync(options, cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            return new(null, new TlsDetails(), new PhaseFault(ReasonCode.TlsTimeout,
                $"no handshake answer within {timeout.TotalSeconds:0.#} s"));
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or System.Net.Sockets.SocketException)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            var fault = ClassifyHandshakeError(ex);
            // OpenSSL 3 clients offer only TLS 1.2+, and a TLS 1.1-only server answers with a bare handshake_failure
            // alert, indistinguishable from a cipher mismatch. So ask once more offering only TLS 1.0/1.1.
            if (fault.Reason == ReasonCode.TlsHandshakeFailed && reconnect is not null
                && await LegacyProtocolAcceptedAsync(reconnect, host, timeout, cancellationToken).ConfigureAwait(false) is { } legacy)
                fault = new PhaseFault(ReasonCode.TlsProtocolTooOld, $"the peer refused TLS 1.2 and 1.3 ({fault.Detail}) but accepted {legacy}");
            return new(null, new TlsDetails { ValidationErrors = Innermost(ex) }, fault);
        }

        var details = new TlsDetails
        {
            Protocol = ProtocolName(ssl.SslProtocol),
            Cipher = ssl.NegotiatedCipherSuite.ToString(),
            Alpn = ssl.NegotiatedApplicationProtocol == default ? null : ssl.NegotiatedApplicationProtocol.ToString(),
            Chain = chainSummary ?? [],
        };
#pragma warning disable SYSLIB0039 // naming the old protocols is the point: we must recognise them to fail them
        if (ssl.SslProtocol is SslProtocols.Tls or SslProtocols.Tls11)
#pragma warning restore SYSLIB0039
            return Fail(ssl, details, new PhaseFault(ReasonCode.TlsProtocolTooOld, $"negotiated {details.Protocol}"));
        if (assessment is null)
            return Fail(ssl, details, new PhaseFault(ReasonCode.TlsHandshakeFailed, "the server presented no certificate"));

        details = details with
        {
            Inspected = assessment.Inspected,
            InterceptingIssuer = assessment.InterceptingIssuer,
            InterceptingRoot = assessment.InterceptingRoot,
            ValidationErrors = assessment.ValidationErrors,
        };
        return assessment.Fault is null ? new(ssl, details, null) : Fail(ssl, details, assessment.Fault);
    }

    private static async Task<string?> LegacyProtocolAcceptedAsync(Func<CancellationToken, Task<Stream?>> reconnect, string host,
        TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            var stream = await reconnect(cts.Token).ConfigureAwait(false);
            if (stream is null)
                return null;
            await using var _ = stream;
            return await LegacyTlsHello.NegotiatedVersionAsync(stream, host, cts.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or OperationCanceledException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return null;
        }
    }

    /// <summary>Reads the handshake exception: OpenSSL's alert text tells a TLS 1.0/1.1-only peer from other failures.</summary>
    public static PhaseFault ClassifyHandshakeError(Exception ex)
    {
        var text = Innermost(ex);
        var all = string.Join(" | ", Chain(ex).Select(e => e.Message));
        if (TcpConnectProbe.FindSocketError(ex) is { } se && TcpConnectProbe.Classify(se) == ReasonCode.TcpReset)
            return new(ReasonCode.TcpReset, $"reset during the TLS handshake ({se})");
        if (ContainsAny(all, "protocol version", "unsupported protocol", "no protocols available", "version too low"))
            return new(ReasonCode.TlsProtocolTooOld, $"the peer does not speak TLS 1.2 or newer ({text})");
        if (ContainsAny(all, "unexpected EOF", "0 bytes from the transport"))
            return new(ReasonCode.TlsHandshakeFailed, "the peer closed the connection during the handshake");
        return new(ReasonCode.TlsHandshakeFailed, text);
    }

    private static TlsOutcome Fail(SslStream ssl, TlsDetails details, PhaseFault fault)
    {
        ssl.Dispose();
        return new(null, details, fault);
    }

    private static IReadOnlyList<CertificateSummary> SummariseChain(X509Certificate2 leaf, X509Certificate2Collection presented)
    {
        // One SHA-256 per certificate, used both to drop duplicates and as the summary's thumbprint.
        var summaries = new List<CertificateSummary>(presented.Count + 1);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        Add(leaf);
        foreach (var cert in presented)
            Add(cert);
        return summaries;

        void Add(X509Certificate2 c)
        {
            var sha256 = TlsInspectionDetector.Sha256(c);
            if (!seen.Add(sha256))
                return;
            summaries.Add(new CertificateSummary
            {
                Subject = c.Subject,
                Issuer = c.Issuer,
                NotBefore = new DateTimeOffset(c.NotBefore.ToUniversalTime(), TimeSpan.Zero),
                NotAfter = new DateTimeOffset(c.NotAfter.ToUniversalTime(), TimeSpan.Zero),
                Sha256 = sha256,
                CrlUrls = CertificateUrls.Crl(c),
                OcspUrls = CertificateUrls.Ocsp(c),
            });
        }
    }

#pragma warning disable SYSLIB0039
    private static string ProtocolName(SslProtocols protocol) => protocol switch
    {
        SslProtocols.Tls13 => "TLS 1.3",
        SslProtocols.Tls12 => "TLS 1.2",
        SslProtocols.Tls11 => "TLS 1.1",
        SslProtocols.Tls => "TLS 1.0",
        _ => protocol.ToString(),
    };
#pragma warning restore SYSLIB0039

    private static IEnumerable<Exception> Chain(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
            yield return e;
    }

    private static string Innermost(Exception ex) => Chain(ex).Last().Message;

    private static bool ContainsAny(string text, params string[] needles)
        => needles.Any(n => text.Contains(n, StringComparison.OrdinalIgnoreCase));
}
