using ArcBridgeDashboard.Web.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ArcBridgeDashboard.Web.Tests.Support;

/// <summary>
/// The real app in-process on its own temp SQLite file and log folder, with the schedule on a
/// <see cref="FakeTimeProvider"/>. Extra settings go in as command-line style host settings.
/// </summary>
public class ArcBridgeAppFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;

    public ArcBridgeAppFactory(IDictionary<string, string?>? settings = null, string? directory = null)
    {
        Directory = directory ?? Path.Combine(Path.GetTempPath(), "arcbridge-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        DatabasePath = Path.Combine(Directory, "data", "arcbridge.db");
        _settings = new Dictionary<string, string?>
        {
            ["ArcBridge:DatabasePath"] = DatabasePath,
            ["ArcBridge:LogDirectory"] = Path.Combine(Directory, "logs"),
            // Shared apps enrol and post for many tests within a minute; the limits have tests of their own.
            ["ArcBridge:RateLimits:EnrollPermitLimit"] = "100000",
            ["ArcBridge:RateLimits:IngestPermitLimit"] = "1000000",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            _settings[key] = value;
    }

    public string Directory { get; }
    public string DatabasePath { get; }
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
