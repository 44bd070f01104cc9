using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using ArcBridgeDashboard.Testing;

namespace ArcBridgeDashboard.Web.Tests.Integration;

/// <summary>
/// The published app (not the build output) serves the top-level wwwroot through the project's symlink. The publish is
/// <see cref="PublishedDashboard"/>'s, of this build, shared with EndToEnd.Tests. Tagged for CI to run as its own stage if it likes.
/// </summary>
[Trait("Category", "Publish")]
public sealed partial class PublishedAppTests
{
    [Fact]
    public async Task Publish_ThenRun_ServesNonEmptyAppCssAndHealthz()
    {
        var work = Path.Combine(Path.GetTempPath(), "arcbridge-tests", "publish-" + Guid.NewGuid().ToString("N"));
        try
        {
            var published = await PublishedDashboard.DllAsync(TimeSpan.FromMinutes(8));

            using var app = Process.Start(new ProcessStartInfo("dotnet", [published, "--urls", "http://127.0.0.1:0"])
            {
                WorkingDirectory = Path.GetDirectoryName(published)!,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                Environment = { ["ArcBridge__BuiltInAgentEnabled"] = "false", ["ArcBridge__DatabasePath"] = Path.Combine(work, "data", "arcbridge.db"), ["ArcBridge__LogDirectory"] = Path.Combine(work, "logs") },
            })!;
            try
            {
                var address = await ReadListeningAddressAsync(app, TimeSpan.FromSeconds(60));
                using var client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };

                var css = await client.GetAsync("/app.css");
                Assert.Equal(HttpStatusCode.OK, css.StatusCode);
                Assert.True((await css.Content.ReadAsStringAsync()).Trim().Length > 0);
                Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
                Assert.True(File.Exists(Path.Combine(work, "data", "arcbridge.db")));
            }
            finally
            {
                app.Kill(entireProcessTree: true);
                await app.WaitForExitAsync();
            }
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>
    /// HTTPS as the README documents it: a certificate and key (PEM files) configured for a Kestrel endpoint. The page
    /// answers over TLS with a certificate chaining to the test's root, with HSTS and the security headers.
    /// </summary>
    [Fact]
    public async Task Publish_ThenRunWithConfiguredCertificate_ServesHttpsWithHsts()
    {
        var work = Path.Combine(Path.GetTempPath(), "arcbridge-tests", "publish-https-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            var (root, leaf) = LoopbackTlsServer.CreatePki();
            var certificate = Path.Combine(work, "dashboard.crt");
            var key = Path.Combine(work, "dashboard.key");
            await File.WriteAllTextAsync(certificate, leaf.ExportCertificatePem());
            await File.WriteAllTextAsync(key, System.Security.Cryptography.X509Certificates.RSACertificateExtensions.GetRSAPrivateKey(leaf)!.ExportPkcs8PrivateKeyPem());
            var published = await PublishedDashboard.DllAsync(TimeSpan.FromMinutes(8));

            using var app = Process.Start(new ProcessStartInfo("dotnet", [published,
                "--Kestrel:Endpoints:Https:Url=https://127.0.0.1:0",
                $"--Kestrel:Endpoints:Https:Certificate:Path={certificate}",
                $"--Kestrel:Endpoints:Https:Certificate:KeyPath={key}"])
            {
                WorkingDirectory = Path.GetDirectoryName(published)!,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                Environment = { ["ArcBridge__BuiltInAgentEnabled"] = "false", ["ArcBridge__DatabasePath"] = Path.Combine(work, "data", "arcbridge.db"), ["ArcBridge__LogDirectory"] = Path.Combine(work, "logs") },
            })!;
            try
            {
                var address = await ReadListeningAddressAsync(app, TimeSpan.FromSeconds(60));
                Assert.StartsWith("https://", address, StringComparison.Ordinal);
                using var handler = new HttpClientHandler
                {
                    // Trusted only through the test's root, as an operator's machine trusts the company CA.
                    ServerCertificateCustomValidationCallback = (_, presented, _, _) =>
                    {
                        using var chain = new System.Security.Cryptography.X509Certificates.X509Chain();
                        chain.ChainPolicy.TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust;
                        chain.ChainPolicy.CustomTrustStore.Add(root);
                        chain.ChainPolicy.RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck;
                        return presented is not null && chain.Build(presented);
                    },
                };
                using var client = new HttpClient(handler) { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };
                using var request = new HttpRequestMessage(HttpMethod.Get, "/healthz");
                request.Headers.Host = "dashboard.corp.example"; // HSTS leaves localhost and 127.0.0.1 alone

                using var response = await client.SendAsync(request);

                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Contains("max-age=", Assert.Single(response.Headers.GetValues("Strict-Transport-Security")), StringComparison.Ordinal);
                Assert.Contains("frame-ancestors 'none'", Assert.Single(response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
            }
            finally
            {
                app.Kill(entireProcessTree: true);
                await app.WaitForExitAsync();
            }
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
    }

    private static async Task<string> ReadListeningAddressAsync(Process app, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (await app.StandardOutput.ReadLineAsync(cts.Token) is { } line)
        {
            if (ListeningLine().Match(line) is { Success: true } match)
                return match.Groups[1].Value;
        }
        throw new InvalidOperationException("The published app exited before listening: " + await app.StandardError.ReadToEndAsync(cts.Token));
    }

    [GeneratedRegex(@"Now listening on: (https?://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();
}
