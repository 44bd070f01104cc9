using ArcBridgeDashboard.Web.Configuration;
using ArcBridgeDashboard.Web.Data;
using ArcBridgeDashboard.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ArcBridgeDashboard.Web.Tests.Integration;

public sealed class SettingsTests
{
    private static readonly Dictionary<string, string?> NoSchedule = new() { ["ArcBridge:BuiltInAgentEnabled"] = "false" };

    [Fact]
    public async Task SaveAsync_BadValues_ReturnsMessagePerFieldAndChangesNothing()
    {
        using var app = new ArcBridgeAppFactory(NoSchedule);
        app.CreateClient().Dispose();
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
        using var app = new ArcBridgeAppFactory(NoSchedule);
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

    private static async Task<int> CountTargetsAsync(ArcBridgeAppFactory app)
    {
        await using var db = app.CreateDbContext();
        return await db.Targets.CountAsync(t => t.RetiredAt == null);
    }
}
