using ArcBridgeDashboard.Web.Configuration;
using ArcBridgeDashboard.Web.Data;
using ArcBridgeDashboard.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ArcBridgeDashboard.Web.Tests.Integration;

/// <remarks>On both providers (<see cref="OnSqlite"/>, <see cref="OnPostgreSql"/>), each in its shared default app.</remarks>
public abstract class SettingsTests(DefaultAppFactory shared)
{
    [Collection(DefaultAppCollection.Name)]
    public sealed class OnSqlite(DefaultAppFactory app) : SettingsTests(app);

    [Collection(PostgreSqlDefaultAppCollection.Name)]
    public sealed class OnPostgreSql(PostgreSqlDefaultAppFactory app) : SettingsTests(app);

    private static readonly Dictionary<string, string?> NoSchedule = new() { ["ArcBridge:BuiltInAgentEnabled"] = "false" };

    [Fact]
    public async Task SaveAsync_BadValues_ReturnsMessagePerFieldAndChangesNothing()
    {
        var app = shared;
        var before = await app.InScopeAsync(sp => sp.GetRequiredService<DashboardSettingsStore>().GetAsync());
        var targetsBefore = await CountTargetsAsync(app);

        var errors = await app.InScopeAsync(sp => sp.GetRequiredService<DashboardSettingsStore>().SaveAsync(new DashboardSettings
        {
            Region = "West Europe",
            ProxyUrl = "proxy.corp:3128",
            NoProxy = ["*.corp.example"],
            DnsServers = ["10.0.0.300"],
            IntervalMinutes = 0,
            PhaseTimeoutSeconds = 500,
            ExpectedRootsPem = "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----",
            ApplianceVmIps = ["10.0.0"],
            NewProxyPassword = "secret",
        }));

        var fields = errors.Select(e => e.Field).ToHashSet();
        Assert.Equal(new HashSet<string> { "Region", "ProxyUrl", "NoProxy", "DnsServers", "IntervalMinutes", "PhaseTimeoutSeconds", "ExpectedRootsPem", "ApplianceVmIps" }, fields);
        Assert.Contains(errors, e => e.Field == "NoProxy" && e.Message.Contains("'*'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Field == "DnsServers" && e.Message.Contains("10.0.0.300", StringComparison.Ordinal));
        var after = await app.InScopeAsync(sp => sp.GetRequiredService<DashboardSettingsStore>().GetAsync());
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(before), System.Text.Json.JsonSerializer.Serialize(after));
        Assert.False(after.HasProxyPassword);
        await using var db = app.CreateDbContext();
        Assert.Empty(await db.Settings.ToListAsync());
        Assert.Equal(targetsBefore, await CountTargetsAsync(app));
    }

    [Fact]
    public async Task SaveAsync_ValidValuesWithPassword_PersistsAndNeverReturnsPassword()
    {
        using var app = new ArcBridgeAppFactory(NoSchedule, provider: shared.Provider); // its own: it saves settings (and re-expands the targets)
        app.CreateClient().Dispose();

        var errors = await app.InScopeAsync(sp => sp.GetRequiredService<DashboardSettingsStore>().SaveAsync(new DashboardSettings
        {
            Region = "westeurope",
            ProxyUrl = "http://127.0.0.1:3128",
            ProxyUser = "arc",
            NewProxyPassword = "s3cret-value",
            NoProxy = [".corp.example", "10.0.0.0/8"],
            DnsServers = ["127.0.0.1:5353"],
            IntervalMinutes = 10,
        }));

        Assert.Empty(errors);
        var read = await app.InScopeAsync(sp => sp.GetRequiredService<DashboardSettingsStore>().GetAsync());
        Assert.Equal(("westeurope", 10, true, null), (read.Region, read.IntervalMinutes, read.HasProxyPassword, read.NewProxyPassword));
        var probe = await app.InScopeAsync(sp => sp.GetRequiredService<DashboardSettingsStore>().GetProbeSettingsAsync());
        Assert.Equal(("s3cret-value", "127.0.0.1:5353"), (probe.ProxyPassword, probe.DnsServers.Single().ToString()));
        await using var db = app.CreateDbContext();
        var json = (await db.Settings.SingleAsync(s => s.Key == DashboardSettingsStore.SettingsKey)).Value;
        Assert.DoesNotContain("s3cret-value", json, StringComparison.Ordinal);
        // Region changed: wildcard targets were re-expanded for westeurope, the eastus ones retired.
        Assert.Contains(await db.Targets.Where(t => t.RetiredAt == null).ToListAsync(), t => t.ExpansionNote != null && t.Key.Contains("westeurope", StringComparison.Ordinal));
        Assert.Contains(await db.Targets.Where(t => t.RetiredAt != null).ToListAsync(), t => t.Key.Contains("eastus", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SaveAsync_ProxyMovedToAnotherHostKeepingThePassword_RefusedAndThePasswordStaysWithItsProxy()
    {
        using var app = new ArcBridgeAppFactory(NoSchedule, provider: shared.Provider); // its own: it saves settings
        app.CreateClient().Dispose();
        var store = (IServiceProvider sp) => sp.GetRequiredService<DashboardSettingsStore>();
        var current = await app.InScopeAsync(sp => store(sp).GetAsync());
        Assert.Empty(await app.InScopeAsync(sp => store(sp).SaveAsync(current with
        {
            ProxyUrl = "http://proxy.corp.example:3128",
            ProxyUser = "svc-arc",
            NewProxyPassword = "s3cret-for-corp",
        })));
        var saved = await app.InScopeAsync(sp => store(sp).GetAsync());

        // "Keep password" with a new host: the password would go to whoever runs attacker.example.
        var moved = await app.InScopeAsync(sp => store(sp).SaveAsync(saved with { ProxyUrl = "http://attacker.example:3128" }));
        var withUserInfo = await app.InScopeAsync(sp => store(sp).SaveAsync(saved with { ProxyUrl = "http://svc-arc:s3cret@proxy.corp.example:3128" }));

        Assert.Contains(moved, e => e.Message.Contains("enter the proxy password again", StringComparison.Ordinal));
        Assert.Contains(withUserInfo, e => e.Field == "ProxyUrl" && e.Message.Contains("Proxy user and Proxy password fields", StringComparison.Ordinal));
        Assert.DoesNotContain(withUserInfo, e => e.Message.Contains("s3cret", StringComparison.Ordinal)); // never echoed back
        var probe = await app.InScopeAsync(sp => store(sp).GetProbeSettingsAsync());
        Assert.Equal((new Uri("http://proxy.corp.example:3128"), "s3cret-for-corp"), (probe.Proxy, probe.ProxyPassword));

        // Re-entering it for the new host is fine; removing the proxy forgets the password.
        Assert.Empty(await app.InScopeAsync(sp => store(sp).SaveAsync(saved with { ProxyUrl = "http://proxy2.corp.example:3128", NewProxyPassword = "new" })));
        Assert.Empty(await app.InScopeAsync(sp => store(sp).SaveAsync(saved with { ProxyUrl = null, ProxyUser = null })));
        Assert.False((await app.InScopeAsync(sp => store(sp).GetAsync())).HasProxyPassword);
    }

    private static async Task<int> CountTargetsAsync(ArcBridgeAppFactory app)
    {
        await using var db = app.CreateDbContext();
        return await db.Targets.CountAsync(t => t.RetiredAt == null);
    }
}
