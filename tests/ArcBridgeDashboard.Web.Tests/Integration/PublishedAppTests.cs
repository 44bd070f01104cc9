using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using ArcBridgeDashboard.Testing;

namespace ArcBridgeDashboard.Web.Tests.Integration;

/// <summary>
/// The published app (not the build output) serves the top-level wwwroot through the project's symlink.
/// Slow (a Release publish), so tagged for CI to run as its own stage if it likes.
/// </summary>
[Trait("Category", "Publish")]
public sealed partial class PublishedAppTests
{
    [Fact]
    public async Task Publish_ThenRun_ServesNonEmptyAppCssAndHealthz()
    {
        var root = RepositoryRoot.Path;
        var work = Path.Combine(Path.GetTempPath(), "arcbridge-tests", "publish-" + Guid.NewGuid().ToString("N"));
        var output = Path.Combine(work, "app");
        try
        {
            var publish = await RunAsync("dotnet", ["publish", Path.Combine(root, "src", "ArcBridgeDashboard.Web"), "-c", "Release", "-o", output], root, TimeSpan.FromMinutes(8));
            Assert.True(publish.ExitCode == 0, publish.Output);

            using var app = Process.Start(new ProcessStartInfo("dotnet", [Path.Combine(output, "ArcBridgeDashboard.Web.dll"), "--urls", "http://127.0.0.1:0"])
            {
                WorkingDirectory = output,
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

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string[] args, string directory, TimeSpan timeout)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true })!;
        using var cts = new CancellationTokenSource(timeout);
        var stdout = process.StandardOutput.ReadToEndAsync(cts.Token);
        var stderr = process.StandardError.ReadToEndAsync(cts.Token);
        await process.WaitForExitAsync(cts.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();
}
