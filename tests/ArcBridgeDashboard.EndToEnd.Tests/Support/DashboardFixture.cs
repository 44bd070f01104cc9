using System.Collections.Concurrent;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace ArcBridgeDashboard.EndToEnd.Tests.Support;

/// <summary>
/// Per browser test class (a class fixture, so classes run side by side; the publish is shared through its lock):
/// the dashboard published from this build (<see cref="PublishedDashboard"/>, so it serves the
/// published static assets exactly as in production) and Debian's Chromium. Each test then starts its own dashboard
/// process on its own loopback-only database.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run",
        // The browser only ever talks to 127.0.0.1: any host name it might look up fails without a DNS query.
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
    ];

    private readonly string _workRoot = Path.Combine(Path.GetTempPath(), "arcbridge-e2e", Guid.NewGuid().ToString("N"));
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = default!;
    public string PublishedDll { get; private set; } = "";

    /// <summary>Test artifacts: the screenshots folder under the test output folder.</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "artifacts", "screenshots");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_workRoot);
        Directory.CreateDirectory(ScreenshotDirectory);
        PublishedDll = await PublishedDashboard.DllAsync(TimeSpan.FromMinutes(5));
        // Expect(...) has its own default of 5 s, too short for this loaded 2-core machine; bound everything at 30 s.
        Assertions.SetDefaultExpectTimeout(30_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ChromiumArgs,
            Timeout = 30_000,
        });
    }

    /// <summary>A dashboard process whose catalog holds exactly <paramref name="endpoints"/> (all on 127.0.0.1).</summary>
    public async Task<RunningDashboard> StartDashboardAsync(string rootPem, int phaseTimeoutSeconds, params CatalogEndpoint[] endpoints)
    {
        if (endpoints.Any(e => e.HostPattern != "127.0.0.1"))
            throw new ArgumentException("End-to-end dashboards probe loopback only.", nameof(endpoints));
        var directory = Path.Combine(_workRoot, "run-" + Guid.NewGuid().ToString("N")[..8]);
        var databasePath = Path.Combine(directory, "data", "arcbridge.db");
        var targets = await DashboardDatabase.CreateAsync(databasePath, rootPem, phaseTimeoutSeconds, endpoints);
        await DashboardSignIn.SeedUserAsync(databasePath);
        var process = await DashboardProcess.StartAsync(PublishedDll, databasePath, directory);
        return new RunningDashboard(process, targets) { DatabasePath = databasePath };
    }

    /// <summary>
    /// Runs <paramref name="steps"/> on a new page. On failure it saves a FAILED-… screenshot and prints the end of the
    /// browser's console and of the dashboard's console output, so a red run in CI says what the browser and the server saw.
    /// </summary>
    public async Task InPageAsync(RunningDashboard app, ITestOutputHelper output, string name, Func<IPage, Task> steps, int width = 1280, int height = 900)
    {
        // Blazor logs its live connection there ("Connection disconnected.", "WebSocket connected to …"), and errors.
        var browserConsole = new ConcurrentQueue<string>();
        // The first page of a dashboard signs in here, so a sign-in that fails is reported like any other step.
        var page = await NewContextPageAsync(width, height, app.StorageState);
        page.Console += (_, message) => browserConsole.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} {message.Type}: {message.Text}");
        page.PageError += (_, error) => browserConsole.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} uncaught: {error}");
        try
        {
            await SignInOnceAsync(app, page);
            await steps(page);
        }
        catch
        {
            try
            {
                await BlazorPage.ScreenshotAsync(page, "FAILED-" + name, output);
            }
            catch (PlaywrightException)
            {
                // the page itself is gone; the dashboard output below still helps
            }
            output.WriteLine("browser console (last 40 lines, UTC):\n" + string.Join('\n', browserConsole.TakeLast(40)));
            var lines = app.Process.Output.Split('\n');
            output.WriteLine("dashboard output (last 80 lines):\n" + string.Join('\n', lines.TakeLast(80)));
            throw;
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    /// <summary>
    /// A new light-scheme page of the given size (own context: no theme remembered from another test), signed in as
    /// the seeded Admin: the first page of a dashboard signs in through the form, later ones reuse its storage state.
    /// </summary>
    public async Task<IPage> NewPageAsync(RunningDashboard app, int width = 1280, int height = 900)
    {
        var page = await NewContextPageAsync(width, height, app.StorageState);
        await SignInOnceAsync(app, page);
        return page;
    }

    // The first page of a dashboard signs in through the form and keeps its storage state for the later ones.
    private static async Task SignInOnceAsync(RunningDashboard app, IPage page)
    {
        if (app.StorageState is not null)
            return;
        await DashboardSignIn.SignInAsync(page, app.BaseAddress);
        app.StorageState = await page.Context.StorageStateAsync();
    }

    /// <summary>A page in a fresh context: signed out unless <paramref name="storageState"/> is given.</summary>
    public async Task<IPage> NewContextPageAsync(int width = 1280, int height = 900, string? storageState = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            ColorScheme = ColorScheme.Light,
            Locale = "en-US",
            TimezoneId = "UTC",
            StorageState = storageState,
        });
        context.SetDefaultTimeout(30_000);
        context.SetDefaultNavigationTimeout(30_000);
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
            await Browser.DisposeAsync();
        _playwright?.Dispose();
        try
        {
            Directory.Delete(_workRoot, recursive: true);
        }
        catch (IOException)
        {
            // a log file still held; the temp folder is harmless
        }
    }
}

/// <summary>One started dashboard and the target key and endpoint id of each seeded service.</summary>
public sealed class RunningDashboard(DashboardProcess process, IReadOnlyDictionary<string, (int EndpointId, string TargetKey)> targets) : IAsyncDisposable
{
    public Uri BaseAddress => process.BaseAddress;
    public string DatabasePath { get; init; } = "";

    /// <summary>The seeded Admin's signed-in browser state (cookies), once a first page signed in.</summary>
    public string? StorageState { get; set; }
    public DashboardProcess Process => process;

    public string TargetKey(string service) => targets[service].TargetKey;
    public int EndpointId(string service) => targets[service].EndpointId;

    public ValueTask DisposeAsync() => process.DisposeAsync();
}
