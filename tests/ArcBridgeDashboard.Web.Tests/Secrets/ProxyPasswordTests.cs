using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Agents;
using ArcBridgeDashboard.Web.Configuration;
using ArcBridgeDashboard.Web.Monitoring;
using ArcBridgeDashboard.Web.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ArcBridgeDashboard.Web.Tests.Secrets;

/// <summary>
/// The proxy password goes only to the proxy it was entered for, is encrypted in the database, and reaches remote
/// agents only when the operator ticks "Send the password to remote agents". On both providers.
/// </summary>
public sealed class ProxyPasswordTests
{
    private const string User = "svc-arc";
    private const string Password = "Pr0xy-S3cret-4711";

    private static readonly CatalogEndpoint Arc = TestDatabase.Loopback("Arc test", 443) with { HostPattern = "arc.example.test" };

    private sealed class App(DatabaseProvider provider) : LoopbackCatalogApp(provider, Arc);

    [Theory, BothProviders]
    public async Task ProxyHostChangedWithoutPassword_SweepNeverSendsTheOldPasswordToTheNewHost(DatabaseProvider provider)
    {
        await using var corpProxy = new RecordingProxy();
        await using var newHost = new RecordingProxy();
        using var app = new App(provider);
        await app.InitializeAsync();
        var saved = await SaveAsync(app, s => s with { ProxyUrl = corpProxy.Url, ProxyUser = User, NewProxyPassword = Password });
        Assert.Empty(saved);

        // "Keep password" with the proxy pointed elsewhere is refused, and the sweep still goes to the proxy the
        // password was entered for: the recording shows the test would see the password if it were sent.
        var moved = await SaveAsync(app, s => s with { ProxyUrl = newHost.Url });
        Assert.Contains(moved, e => e.Message.Contains("enter the proxy password again", StringComparison.Ordinal));
        await SweepAsync(app);
        Assert.Contains(corpProxy.Requests, r => r.Contains(Basic(User, Password), StringComparison.Ordinal));
        Assert.Empty(newHost.Requests);

        // The operator moves the proxy and clears the password: the new host gets a CONNECT, never the password.
        Assert.Empty(await SaveAsync(app, s => s with { ProxyUrl = newHost.Url, NewProxyPassword = "" }));
        await SweepAsync(app);
        Assert.NotEmpty(newHost.Requests);
        Assert.All(newHost.Requests, r =>
        {
            Assert.StartsWith("CONNECT arc.example.test:443", r, StringComparison.Ordinal);
            Assert.DoesNotContain(Password, r, StringComparison.Ordinal);
            Assert.DoesNotContain(Basic(User, Password), r, StringComparison.Ordinal);
        });
    }

    [Theory, BothProviders]
    public async Task PasswordSet_NoClearCopyInDatabaseLogsApiOrPlan_AndRemoteAgentsGetItOnlyWhenTicked(DatabaseProvider provider)
    {
        await using var proxy = new RecordingProxy();
        using var app = new App(provider);
        await app.InitializeAsync();
        Assert.Empty(await SaveAsync(app, s => s with { ProxyUrl = proxy.Url, ProxyUser = User, NewProxyPassword = Password }));
        await SweepAsync(app);
        Assert.Contains(proxy.Requests, r => r.Contains(Basic(User, Password), StringComparison.Ordinal));

        var anonymous = app.CreateClient();
        var token = await app.InScopeAsync(async sp => (await sp.GetRequiredService<EnrollmentService>().CreateTokenAsync("leak test")).Token);
        var enrolled = await (await anonymous.PostAsJsonAsync(AgentApi.EnrollPath,
            new EnrollRequest { Token = token, Name = "leak-test", Role = Sources.ManagementMachine, Version = "1.0.0", Os = "test-os" }, ProbeJson.Options))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<EnrollResponse>(ProbeJson.Options);
        var agent = app.CreateClient();
        agent.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", enrolled!.Credential);

        var plan = await agent.GetStringAsync(AgentApi.PlanPath);
        Assert.Contains(User, plan, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, plan, StringComparison.Ordinal);
        var responses = new StringBuilder(plan);
        foreach (var path in (string[])["/api/v1/status", "/api/v1/readiness", "/api/v1/sweeps", "/settings", "/healthz"])
            responses.Append(await anonymous.GetStringAsync(path));
        Assert.DoesNotContain(Password, responses.ToString(), StringComparison.Ordinal);

        // Ticked: the remote agent's plan carries it (and only then).
        Assert.Empty(await SaveAsync(app, s => s with { SendProxyPasswordToAgents = true }));
        Assert.Contains(Password, await agent.GetStringAsync(AgentApi.PlanPath), StringComparison.Ordinal);
        Assert.Empty(await SaveAsync(app, s => s with { SendProxyPasswordToAgents = false }));
        Assert.DoesNotContain(Password, await agent.GetStringAsync(AgentApi.PlanPath), StringComparison.Ordinal);

        // The database file, its WAL and the logs hold no clear copy (nor the Basic header's base64).
        await using (var db = app.CreateDbContext())
            Assert.StartsWith("dp1:", (await db.Settings.SingleAsync(s => s.Key == DashboardSettingsStore.ProxyPasswordKey)).Value, StringComparison.Ordinal);
        foreach (var file in Directory.EnumerateFiles(app.Directory, "*", SearchOption.AllDirectories))
        {
            var text = Encoding.Latin1.GetString(await SharedFile.ReadAllBytesAsync(file));
            Assert.False(text.Contains(Password, StringComparison.Ordinal), $"{file} holds the password in clear");
            Assert.False(text.Contains(Basic(User, Password), StringComparison.Ordinal), $"{file} holds the Basic credentials");
        }
        Assert.Contains(Directory.EnumerateFiles(app.Directory, "*.log", SearchOption.AllDirectories), f => new FileInfo(f).Length > 0);
    }

    [Theory, BothProviders]
    public async Task ClearTextPasswordFromAnOlderVersion_IsEncryptedOnStartAndStillWorks(DatabaseProvider provider)
    {
        await using var proxy = new RecordingProxy();
        using var app = new App(provider);
        await TestDatabase.CreateWithCatalogAsync(app.Database, Arc);
        await using (var db = TestDatabase.Open(app.Database))
        {
            // What a version before encryption wrote: the password row in clear (raw SQL: the app would encrypt it).
            var json = $$"""{"proxyUrl":"{{proxy.Url}}","proxyUser":"{{User}}","region":"eastus","intervalMinutes":60}""";
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "Settings" ("Key", "Value", "UpdatedAt") VALUES ('dashboard', {json}, 0), ('proxy-password', {Password}, 0)
                """);
        }

        app.CreateClient().Dispose();
        await SweepAsync(app);

        Assert.Contains(proxy.Requests, r => r.Contains(Basic(User, Password), StringComparison.Ordinal));
        if (provider == DatabaseProvider.PostgreSql)
        {
            await using var db = TestDatabase.Open(app.Database);
            Assert.DoesNotContain(await db.Settings.Select(s => s.Value).ToListAsync(), v => v.Contains(Password, StringComparison.Ordinal));
            return;
        }
        SqliteConnection.ClearAllPools(); // on SQLite, not in any byte of the file, its WAL or its journal
        foreach (var file in Directory.EnumerateFiles(Path.GetDirectoryName(app.DatabasePath)!))
            Assert.DoesNotContain(Password, Encoding.Latin1.GetString(await SharedFile.ReadAllBytesAsync(file)), StringComparison.Ordinal);
    }

    private static string Basic(string user, string password) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));

    private static Task<IReadOnlyList<SettingsError>> SaveAsync(ArcBridgeAppFactory app, Func<DashboardSettings, DashboardSettings> change) =>
        app.InScopeAsync(async sp =>
        {
            var store = sp.GetRequiredService<DashboardSettingsStore>();
            return await store.SaveAsync(change(await store.GetAsync()));
        });

    private static Task SweepAsync(ArcBridgeAppFactory app) => app.Services.GetRequiredService<CheckNowService>().CheckNow();
}
