using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using ArcBridgeDashboard.Bench.Common;

namespace ArcBridgeDashboard.Bench.ProbeCost;

/// <summary>
/// `probe-baseline --port P --root FILE`: the floor under our probe in .NET itself (<see cref="BatchWorker"/> protocol):
/// the same steps without the engine. TCP connect, a full TLS handshake (ALPN h2, no resumption) whose chain SslStream
/// builds against the bench root only, and one HTTP/2 GET through a fresh SocketsHttpHandler on that stream.
/// Ours minus this is what the engine itself adds (phases, evidence, assessment, result).
/// </summary>
public static class BaselineWorker
{
    public static async Task<int> RunAsync(Args args)
    {
        var port = args.GetInt("port", 0);
        var root = X509CertificateLoader.LoadCertificate(File.ReadAllBytes(args.Get("root", "")));
        var uri = new Uri($"https://127.0.0.1:{port}/");
        await BatchWorker.RunAsync(BatchWorker.RuntimeSettings(), async () =>
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(IPAddress.Loopback, port);
            var policy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck,
                DisableCertificateDownloads = true,
            };
            policy.CustomTrustStore.Add(root);
            await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: false));
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "127.0.0.1",
                ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                CertificateChainPolicy = policy,
                AllowTlsResume = false,
            });
            using var handler = new SocketsHttpHandler { UseProxy = false, ConnectCallback = (_, _) => ValueTask.FromResult<Stream>(tls) };
            using var client = new HttpClient(handler);
            using var request = new HttpRequestMessage(HttpMethod.Get, uri) { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            return (response.Version == HttpVersion.Version20, $"{(response.Version == HttpVersion.Version20 ? "pass" : "fail")}:HTTP/{response.Version}");
        });
        return 0;
    }
}
