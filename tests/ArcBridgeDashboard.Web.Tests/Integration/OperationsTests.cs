using System.Net;
using ArcBridgeDashboard.Web.Operations;
using ArcBridgeDashboard.Web.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace ArcBridgeDashboard.Web.Tests.Integration;

// SQLite only: its database tests delete the SQLite file and read the "WAL mode" log line; the others read no data.
[Collection(DefaultAppCollection.Name)]
public sealed class OperationsTests(DefaultAppFactory app)
{
    private static readonly Dictionary<string, string?> NoSchedule = new() { ["ArcBridge:BuiltInAgentEnabled"] = "false" };

    [Fact]
    public async Task Healthz_DatabaseUp_Returns200WithEachCheck()
    {
        using var client = app.CreateClient();

        var response = await client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"database\"", body, StringComparison.Ordinal);
        Assert.Contains("\"built-in-agent\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Healthz_DatabaseFileDeleted_Returns503()
    {
        using var app = new ArcBridgeAppFactory(NoSchedule); // its own: it deletes the database
        using var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);

        SqliteConnection.ClearAllPools();
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(app.DatabasePath)!))
            File.Delete(file);
        var response = await client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        // Status only for the caller (anyone who reaches the port); the reason, with its exception text, is in the log.
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"database\":\"Unhealthy\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain("does not answer", body, StringComparison.Ordinal);
        Assert.DoesNotContain(app.DatabasePath, body, StringComparison.Ordinal);
        Assert.DoesNotContain("SQLite", body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task RequestLogging_Request_WrittenToRollingLogFile()
    {
        using var client = app.CreateClient();

        await client.GetAsync("/healthz");

        var logFile = await Eventually.UntilAsync(
            () => Task.FromResult(Directory.Exists(Path.Combine(app.Directory, "logs")) ? Directory.GetFiles(Path.Combine(app.Directory, "logs"), "arcbridge-*.log") : []),
            files => files.Length == 1 && SharedFile.ReadAllText(files[0]).Contains("/healthz", StringComparison.Ordinal),
            "a request log line for /healthz in logs/arcbridge-<date>.log: " + string.Join(",", Directory.GetFiles(app.Directory, "*.log", SearchOption.AllDirectories).Select(SharedFile.ReadAllText)));
        Assert.Contains("is migrated and in WAL mode", SharedFile.ReadAllText(logFile[0]), StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_NoSweepForMoreThanThreeIntervalsAfterGrace_IsUnhealthy()
    {
        var start = new DateTimeOffset(2026, 11, 29, 6, 0, 0, TimeSpan.Zero);
        var interval = TimeSpan.FromMinutes(5);
        var delay = TimeSpan.FromSeconds(10);

        Assert.Equal(HealthStatus.Healthy, BuiltInAgentHealthCheck.Evaluate(start.AddMinutes(15), start, null, interval, delay).Status);
        Assert.Equal(HealthStatus.Unhealthy, BuiltInAgentHealthCheck.Evaluate(start.AddMinutes(16), start, null, interval, delay).Status);
        Assert.Equal(HealthStatus.Healthy, BuiltInAgentHealthCheck.Evaluate(start.AddHours(2), start, start.AddHours(2).AddMinutes(-14), interval, delay).Status);
        Assert.Equal(HealthStatus.Unhealthy, BuiltInAgentHealthCheck.Evaluate(start.AddHours(2), start, start.AddHours(2).AddMinutes(-16), interval, delay).Status);
    }

    [Fact]
    public async Task StaticAssets_AppCssFromTopLevelWwwroot_IsServedAndNotEmpty()
    {
        using var client = app.CreateClient();

        var response = await client.GetAsync("/app.css");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/css", response.Content.Headers.ContentType?.MediaType);
        Assert.True((await response.Content.ReadAsStringAsync()).Trim().Length > 0);
    }

    [Theory]
    [InlineData("ArcBridge:Retention:RawDays", "0", "ArcBridge:Retention:RawDays must be between 1 and 3650")]
    [InlineData("ArcBridge:Retention:HourlyDays", "3", "ArcBridge:Retention:HourlyDays (3) must not be shorter than ArcBridge:Retention:RawDays (7)")]
    [InlineData("ArcBridge:RetentionDays", "30", "ArcBridge:RetentionDays (30) is no longer read")]
    [InlineData("ArcBridge:MaxParallelism", "1000", "ArcBridge:MaxParallelism")]
    [InlineData("ArcBridge:BuiltInAgentRole", "None", "ArcBridge:BuiltInAgentRole")]
    [InlineData("ArcBridge:DefaultInterval", "00:00:05", "ArcBridge:DefaultInterval")]
    [InlineData("ArcBridge:Metrics:AllowedNetworks:0", "10.0.0.0/33", "ArcBridge:Metrics:AllowedNetworks:0")]
    [InlineData("ArcBridge:ForwardedHeaders:KnownProxies:0", "proxy.corp.example", "ArcBridge:ForwardedHeaders:KnownProxies:0")]
    [InlineData("ArcBridge:ForwardedHeaders:KnownProxies:0", "10.0.0.5, 10.1.0.0/99", "ArcBridge:ForwardedHeaders:KnownProxies:0 '10.1.0.0/99'")]
    public void Startup_BadOption_FailsWithMessageNamingTheKey(string key, string value, string named)
    {
        using var app = new ArcBridgeAppFactory(new Dictionary<string, string?>(NoSchedule) { [key] = value }); // its own: a bad configuration

        var error = Assert.Throws<OptionsValidationException>(() => app.CreateClient());

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }
}
