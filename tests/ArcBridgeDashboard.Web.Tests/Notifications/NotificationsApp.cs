using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Configuration;
using ArcBridgeDashboard.Web.Data;
using ArcBridgeDashboard.Web.Monitoring;
using ArcBridgeDashboard.Web.Notifications;
using ArcBridgeDashboard.Web.Secrets;
using ArcBridgeDashboard.Web.Tests.Support;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ArcBridgeDashboard.Web.Tests.Notifications;

/// <summary>
/// The app on a loopback catalog with a real SMTP server on 127.0.0.1 whose password is given encrypted (with a
/// key ring in a folder the test shares with the app). Tests share it: each scopes its rules to its own service.
/// On either provider: a class that runs on both has one fixture subclass per provider.
/// </summary>
public class NotificationsApp : ArcBridgeAppFactory, IAsyncLifetime
{
    public const string SmtpUser = "arcbridge-mailer";
    public const string SmtpPassword = "Smtp-Pa55-clear-never";
    public const string DashboardUrl = "https://arcbridge.corp.example";

    private readonly CatalogEndpoint[] _endpoints;

    public NotificationsApp(DatabaseProvider provider, params CatalogEndpoint[] endpoints) : this(NewDirectory(), new LocalSmtpServer(), endpoints, provider)
    {
    }

    /// <summary>
    /// On an earlier app's folder (null: a new one), e.g. to restart on the same database and keys; on PostgreSQL the
    /// earlier app's <paramref name="database"/> (null: a new one).
    /// </summary>
    protected NotificationsApp(string? directory, DatabaseProvider provider, string? database, CatalogEndpoint[] endpoints)
        : this(directory ?? NewDirectory(), new LocalSmtpServer(), endpoints, provider, database: database)
    {
    }

    private NotificationsApp(string directory, LocalSmtpServer smtp, CatalogEndpoint[] endpoints, DatabaseProvider provider,
        IDictionary<string, string?>? extra = null, string? database = null)
        : base(Settings(directory, smtp, extra), directory, provider, database: database)
    {
        Smtp = smtp;
        _endpoints = endpoints;
    }

    /// <summary>For a test that needs other settings (the report schedule) on the same kind of app.</summary>
    public static NotificationsApp With(DatabaseProvider provider, IDictionary<string, string?> extra, params CatalogEndpoint[] endpoints) =>
        new(NewDirectory(), new LocalSmtpServer(), endpoints, provider, extra);

    public LocalSmtpServer Smtp { get; }

    private static string NewDirectory() => Path.Combine(Path.GetTempPath(), "arcbridge-tests", Guid.NewGuid().ToString("N"));

    private static Dictionary<string, string?> Settings(string directory, LocalSmtpServer smtp, IDictionary<string, string?>? extra)
    {
        var keys = Path.Combine(directory, "keys");
        System.IO.Directory.CreateDirectory(keys);
        // (The key ring already there on a restart is read, not replaced.)
        // The operator's way to avoid a clear password in appsettings: encrypt it with the dashboard's own key ring.
        var protector = new SecretProtector(DataProtectionProvider.Create(new DirectoryInfo(keys), b => b.SetApplicationName(SecretsExtensions.ApplicationName)));
        var settings = new Dictionary<string, string?>
        {
            ["ArcBridge:BuiltInAgentEnabled"] = "false",
            ["ArcBridge:DataProtection:KeysDirectory"] = keys,
            ["ArcBridge:Smtp:Host"] = "127.0.0.1",
            ["ArcBridge:Smtp:Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ArcBridge:Smtp:UseTls"] = "false",
            ["ArcBridge:Smtp:User"] = SmtpUser,
            ["ArcBridge:Smtp:Password"] = protector.Protect(SmtpPassword),
            ["ArcBridge:Smtp:From"] = "ArcBridge <arcbridge@corp.example>",
            ["ArcBridge:Notifications:DashboardUrl"] = DashboardUrl,
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>())
            settings[k] = v;
        return settings;
    }

    public virtual async Task InitializeAsync()
    {
        await TestDatabase.CreateWithCatalogAsync(Database, _endpoints);
        CreateClient().Dispose();
    }

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask; // Dispose stops the SMTP server with the app

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
            Smtp.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    public Task<string?> AdminAsync(Func<NotificationAdmin, Task<string?>> action) =>
        InScopeAsync(sp => action(sp.GetRequiredService<NotificationAdmin>()));

    public async Task<int> ChannelIdAsync(string name)
    {
        await using var db = CreateDbContext();
        return await db.NotificationChannels.Where(c => c.Name == name).Select(c => c.Id).SingleAsync();
    }

    /// <summary>Adds a channel and a rule on it scoped to <paramref name="service"/>; returns the rule's id.</summary>
    public async Task<int> RuleAsync(string name, string service, params ChannelInput[] channels)
    {
        foreach (var channel in channels)
            Assert.Null(await AdminAsync(a => a.AddChannelAsync(channel)));
        var ids = new List<int>();
        foreach (var channel in channels)
            ids.Add(await ChannelIdAsync(channel.Name));
        Assert.Null(await AdminAsync(a => a.AddRuleAsync(new RuleInput(name, true, true, false, service, null, null, ids))));
        await using var db = CreateDbContext();
        return await db.NotificationRules.Where(r => r.Name == name).Select(r => r.Id).SingleAsync();
    }

    /// <summary>Stores results one batch each, as sweeps do, through the real ingest path.</summary>
    public async Task StoreAsync(params ProbeResult[] results)
    {
        foreach (var result in results)
            await InScopeAsync(sp => sp.GetRequiredService<ResultStore>().StoreAsync(Agent.BuiltInId, [result], new ResultStore.Sender(), default));
    }

    public async Task<List<NotificationDelivery>> DeliveriesAsync(int ruleId)
    {
        await using var db = CreateDbContext();
        return await db.NotificationDeliveries.AsNoTracking().Where(d => d.RuleId == ruleId).OrderBy(d => d.Id).ToListAsync();
    }

    /// <summary>Waits until the rule has <paramref name="count"/> deliveries and none is pending.</summary>
    public Task<List<NotificationDelivery>> SettledAsync(int ruleId, int count) =>
        Eventually.UntilAsync(() => DeliveriesAsync(ruleId), d => d.Count >= count && d.All(x => x.Status != DeliveryStatus.Pending),
            $"{count} settled deliveries of rule {ruleId}", 60);
}
