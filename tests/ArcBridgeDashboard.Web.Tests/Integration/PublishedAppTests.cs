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

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();
}
