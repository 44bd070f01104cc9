using System.Net;
using System.Text.RegularExpressions;
using ArcBridgeDashboard.Testing;
using ArcBridgeDashboard.Web.Accounts;
using ArcBridgeDashboard.Web.Configuration;
using ArcBridgeDashboard.Web.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace ArcBridgeDashboard.Web.Tests.Support;

/// <summary>
/// The real app in-process on its own temp SQLite file (or, with <see cref="DatabaseProvider.PostgreSql"/>, its own
/// database on the test process's <see cref="PostgresServer"/>, a copy of the migrated template) and log folder, with the schedule on a
/// <see cref="FakeTimeProvider"/>. Extra settings go in as command-line style host settings.
/// <see cref="WebApplicationFactory{TEntryPoint}.CreateClient()"/> gives a client signed in as a seeded Admin (through
/// the real sign-in form); <see cref="CreateAnonymousClient"/> and <see cref="CreateClientAsAsync"/> give the others.
/// </summary>
public partial class ArcBridgeAppFactory : WebApplicationFactory<Program>
{
    public const string AdminUserName = "test-admin";
    public const string TestPassword = "correct horse battery staple";
    private readonly Dictionary<string, string?> _settings;
    private readonly SemaphoreSlim _signInGate = new(1, 1);
    private string? _adminCookie;
    [ThreadStatic] private static bool _anonymousNext; // CreateClient is synchronous: set around one call on this thread

    /// <param name="emptyDatabase">On PostgreSQL, start on an empty database (not a copy of the migrated
    /// <see cref="TestDatabase.PostgreSqlTemplate"/>), for a test of the migrations themselves.</param>
    /// <param name="database">On PostgreSQL, an earlier app's <see cref="Database"/> to start on (a restart), not a new one;
    /// on SQLite the <paramref name="directory"/> holds the database.</param>
    public ArcBridgeAppFactory(IDictionary<string, string?>? settings = null, string? directory = null, DatabaseProvider provider = DatabaseProvider.Sqlite,
        bool emptyDatabase = false, string? database = null)
    {
        Directory = directory ?? Path.Combine(Path.GetTempPath(), "arcbridge-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        DatabasePath = Path.Combine(Directory, "data", "arcbridge.db");
        Provider = provider;
        Database = provider != DatabaseProvider.PostgreSql ? DatabasePath
            : database ?? PostgresServer.Shared.CreateDatabase(emptyDatabase ? null : TestDatabase.PostgreSqlTemplate);
        _settings = new Dictionary<string, string?>
        {
            ["ArcBridge:DatabasePath"] = DatabasePath,
            ["ArcBridge:Database:Provider"] = provider.ToString(),
            ["ArcBridge:Database:ConnectionString"] = provider == DatabaseProvider.PostgreSql ? Database : null,
            ["ArcBridge:LogDirectory"] = Path.Combine(Directory, "logs"),
            // Shared apps enrol and post for many tests within a minute; the limits have tests of their own.
            ["ArcBridge:RateLimits:EnrollPermitLimit"] = "100000",
            ["ArcBridge:RateLimits:IngestPermitLimit"] = "1000000",
            // Every client signs in once, all from the same (test server) address: the limit has its own tests.
            ["ArcBridge:Auth:SignInPermitLimit"] = "100000",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            _settings[key] = value;
    }

    public string Directory { get; }
    public string DatabasePath { get; }
    public DatabaseProvider Provider { get; }
    /// <summary>Where the data is, for <see cref="TestDatabase"/>: the SQLite file, or the PostgreSQL connection string.</summary>
    public string Database { get; }
    /// <summary>Leave the folder (database, keys, logs) behind on dispose: a test restarts the app on it.</summary>
    public bool KeepDirectory { get; set; }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 29, 6, 0, 0, TimeSpan.Zero));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (key, value) in _settings)
            builder.UseSetting(key, value);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Time));
    }

    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        if (_anonymousNext)
            return;
        // Sync because the factory's hook is; the work runs on the pool, so no test synchronisation context is blocked.
        var cookie = Task.Run(AdminCookieAsync).GetAwaiter().GetResult();
        client.DefaultRequestHeaders.Add("Cookie", cookie);
    }

    /// <summary>A client with no sign-in cookie (redirects not followed, so a test sees the 302 to /signin).</summary>
    public HttpClient CreateAnonymousClient()
    {
        _anonymousNext = true;
        try
        {
            return CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        }
        finally
        {
            _anonymousNext = false;
        }
    }

    /// <summary>A client signed in as a new user of <paramref name="role"/> (created through UserManager), redirects not followed.</summary>
    public async Task<HttpClient> CreateClientAsAsync(string role, string? userName = null)
    {
        userName ??= $"test-{role.ToLowerInvariant()}-{Guid.NewGuid():N}"[..24];
        await EnsureUserAsync(userName, role);
        var client = CreateAnonymousClient();
        client.DefaultRequestHeaders.Add("Cookie", await SignInCookieAsync(userName, TestPassword));
        return client;
    }

    /// <summary>The seeded Admin's sign-in cookie ("ArcBridge.Auth=…"), signing in once per app.</summary>
    public async Task<string> AdminCookieAsync()
    {
        await _signInGate.WaitAsync();
        try
        {
            if (_adminCookie is null)
            {
                await EnsureUserAsync(AdminUserName, DashboardRoles.Admin);
                _adminCookie = await SignInCookieAsync(AdminUserName, TestPassword);
            }
            return _adminCookie;
        }
        finally
        {
            _signInGate.Release();
        }
    }

    public async Task EnsureUserAsync(string userName, string role)
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<DashboardUser>>();
        if (await users.FindByNameAsync(userName) is not null)
            return;
        var error = await scope.ServiceProvider.GetRequiredService<UserAccounts>().AddAsync(userName, TestPassword, role);
        if (error is not null)
            throw new InvalidOperationException($"Could not seed {userName}: {error}");
    }

    /// <summary>Signs in through the real form (antiforgery token and all) and returns the auth cookie as a Cookie header value.</summary>
    public async Task<string> SignInCookieAsync(string userName, string password)
    {
        var response = await PostSignInAsync(userName, password);
        if (response.StatusCode != HttpStatusCode.Redirect || response.Headers.Location?.ToString().Contains("error", StringComparison.Ordinal) == true)
            throw new InvalidOperationException($"Sign-in as {userName} failed: {(int)response.StatusCode} {response.Headers.Location}");
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(AccountsExtensions.CookieName + "=", StringComparison.Ordinal));
        return cookie[..cookie.IndexOf(';', StringComparison.Ordinal)];
    }

    /// <summary>One sign-in form post: GET /signin for the antiforgery token, then POST the form. The response is returned as is.</summary>
    public async Task<HttpResponseMessage> PostSignInAsync(string userName, string password)
    {
        // Straight on the test server: CreateClient would come back here for the Admin cookie.
        using var client = new HttpClient(new Microsoft.AspNetCore.Mvc.Testing.Handlers.CookieContainerHandler { InnerHandler = Server.CreateHandler() }) { BaseAddress = Server.BaseAddress };
        var page = await client.GetStringAsync(AccountsExtensions.SignInPath);
        var token = AntiforgeryField().Match(page).Groups[1].Value;
        return await client.PostAsync(AccountEndpoints.SignInPostPath, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
            ["UserName"] = userName,
            ["Password"] = password,
            ["ReturnUrl"] = "/",
        }));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    /// <summary>A fresh context on the app's database (dispose it).</summary>
    public ArcBridgeDbContext CreateDbContext() => Services.GetRequiredService<IDbContextFactory<ArcBridgeDbContext>>().CreateDbContext();

    public async Task<T> InScopeAsync<T>(Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        SqliteConnection.ClearAllPools();
        if (Provider == DatabaseProvider.PostgreSql)
            NpgsqlConnection.ClearPool(new NpgsqlConnection(Database)); // the database stays, on a server deleted at the end
        if (KeepDirectory)
            return;
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // a log file still held open; the temp folder is harmless
        }
    }
}
