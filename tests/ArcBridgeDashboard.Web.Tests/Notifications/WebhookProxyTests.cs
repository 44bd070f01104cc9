using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Testing;
using ArcBridgeDashboard.Web.Configuration;
using ArcBridgeDashboard.Web.Data;
using ArcBridgeDashboard.Web.Notifications;
using ArcBridgeDashboard.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static ArcBridgeDashboard.Web.Tests.Changes.ChangeTestData;

namespace ArcBridgeDashboard.Web.Tests.Notifications;

/// <summary>
/// A dashboard behind the corporate proxy: webhooks go through the proxy on the Settings page, with its user and
/// password, unless its noProxy list names the host. Debian's tinyproxy with BasicAuth stands in for the proxy and
/// Kestrel on 127.0.0.1 for Teams/Slack. Each test saves its own proxy settings first (the class shares one app per
/// provider: <see cref="OnSqlite"/>, <see cref="OnPostgreSql"/>).
/// </summary>
public abstract class WebhookProxyTests(WebhookProxyTests.App app) : IDisposable
{
    public sealed class OnSqlite(App.Sqlite app) : WebhookProxyTests(app), IClassFixture<App.Sqlite>;

    public sealed class OnPostgreSql(App.PostgreSql app) : WebhookProxyTests(app), IClassFixture<App.PostgreSql>;

    private const string ProxyUser = "svc-arc";
    private const string ProxyPassword = "Pr0xy-Pa55-webhooks";

    public abstract class App(DatabaseProvider provider) : NotificationsApp(provider,
        TestDatabase.Loopback("Hook via proxy", 1201), TestDatabase.Loopback("Hook bypass", 1202), TestDatabase.Loopback("Hook refused", 1203))
    {
        public sealed class Sqlite() : App(DatabaseProvider.Sqlite);

        public sealed class PostgreSql() : App(DatabaseProvider.PostgreSql);
    }

    private readonly TinyproxyRunner _proxy = new($"BasicAuth {ProxyUser} {ProxyPassword}");

    public void Dispose() => _proxy.Dispose();

    private async Task SaveProxyAsync(string password, params string[] noProxy) =>
        Assert.Empty(await app.InScopeAsync(sp => sp.GetRequiredService<DashboardSettingsStore>().SaveAsync(new DashboardSettings
        {
            ProxyUrl = _proxy.Proxy.ToString(), ProxyUser = ProxyUser, NewProxyPassword = password, NoProxy = noProxy,
        })));

    /// <summary>Two failures of the service's only target: one confirmed change, one delivery for the rule.</summary>
    private async Task BreakAsync(string service)
    {
        await using var db = app.CreateDbContext();
        var target = await TargetAsync(db, service);
        var t0 = app.Time.GetUtcNow().AddHours(-1);
        await app.StoreAsync(Result(target, Verdict.Pass, t0), Result(target, Verdict.Pass, t0.AddMinutes(5)),
            Result(target, Verdict.Fail, t0.AddMinutes(10)), Result(target, Verdict.Fail, t0.AddMinutes(15)));
    }

    [Fact]
    public async Task Webhook_ProxySetOnSettings_GoesThroughItWithItsUserAndPassword()
    {
        await SaveProxyAsync(ProxyPassword);
        await using var receiver = await WebhookReceiver.StartAsync();
        var rule = await app.RuleAsync("via proxy", "Hook via proxy", new ChannelInput("via proxy json", NotificationChannelKind.Webhook, receiver.BaseUrl + "/hook", null, null));

        await BreakAsync("Hook via proxy");

        var delivered = Assert.Single(await app.SettledAsync(rule, 1));
        Assert.True(delivered.Status == DeliveryStatus.Delivered, delivered.Error);
        var request = Assert.Single(receiver.All);
        Assert.Contains("tinyproxy", request.Headers.GetValueOrDefault("Via") ?? "(no Via header: it did not come through the proxy)", StringComparison.Ordinal);
        Assert.False(request.Headers.ContainsKey("Proxy-Authorization")); // the proxy took the credentials, the receiver never sees them
        Assert.Equal("Failure", (string?)request.Json["event"]);
    }

    [Fact]
    public async Task Webhook_HostOnTheNoProxyList_GoesDirect()
    {
        await SaveProxyAsync(ProxyPassword, "127.0.0.1");
        await using var receiver = await WebhookReceiver.StartAsync();
        var rule = await app.RuleAsync("bypass", "Hook bypass", new ChannelInput("bypass json", NotificationChannelKind.Webhook, receiver.BaseUrl + "/hook", null, null));

        await BreakAsync("Hook bypass");

        Assert.Equal(DeliveryStatus.Delivered, Assert.Single(await app.SettledAsync(rule, 1)).Status);
        Assert.False(Assert.Single(receiver.All).Headers.ContainsKey("Via"), "a host on the noProxy list went through the proxy");
    }

    [Fact]
    public async Task Webhook_ProxyRefusesThePassword_AttemptRecordedNamingTheProxyAndNothingArrives()
    {
        await SaveProxyAsync("not-" + ProxyPassword);
        await using var receiver = await WebhookReceiver.StartAsync();
        var rule = await app.RuleAsync("refused", "Hook refused", new ChannelInput("refused json", NotificationChannelKind.Webhook, receiver.BaseUrl + "/hook", null, null));

        await BreakAsync("Hook refused");

        var attempt = Assert.Single(await Eventually.UntilAsync(() => app.DeliveriesAsync(rule), d => d.Count == 1 && d[0].Attempts >= 1, "the first attempt"));
        // Whether the proxy answers 407 or drops the connection mid-body, the History tab names the proxy, not the receiver.
        Assert.True(attempt.Error?.Contains($"proxy {_proxy.Proxy.GetLeftPart(UriPartial.Authority)}", StringComparison.Ordinal) == true, $"{attempt.Status}, {attempt.Attempts}: {attempt.Error}; received {receiver.All.Count}; proxy log:\n{_proxy.Log}");
        Assert.DoesNotContain(ProxyPassword, attempt.Error, StringComparison.Ordinal);
        Assert.Empty(receiver.All);
    }
}
