using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Configuration;
using ArcBridgeDashboard.Web.Data;
using ArcBridgeDashboard.Web.Notifications;
using ArcBridgeDashboard.Web.Reports;
using ArcBridgeDashboard.Web.Tests.Reports;
using ArcBridgeDashboard.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using UglyToad.PdfPig;
using static ArcBridgeDashboard.Web.Tests.Changes.ChangeTestData;

namespace ArcBridgeDashboard.Web.Tests.Notifications;

/// <summary>
/// Tests that need an app of their own: the clock moved to the report's time, a restart, bad settings. Those with data
/// run on both providers; a bad setting stops the app before it opens its database.
/// </summary>
public sealed class NotificationStartupTests
{
    [Theory, BothProviders]
    public async Task WeeklyReport_WithRecipients_ArrivesByMailWithThePdfAttached(DatabaseProvider provider)
    {
        // Its own app: the fake clock is moved to the schedule. It starts on Sunday 2026-11-29 06:00 UTC.
        using var app = NotificationsApp.With(provider, new Dictionary<string, string?>
        {
            ["ArcBridge:Reports:Schedule:Enabled"] = "true",
            ["ArcBridge:Reports:Schedule:Day"] = "Sunday",
            ["ArcBridge:Reports:Schedule:Time"] = "07:00",
            ["ArcBridge:Reports:Schedule:Recipients:0"] = "manager@corp.example",
            ["ArcBridge:Reports:Schedule:Recipients:1"] = "oncall@corp.example, noc@corp.example",
        });
        await ReportScenario.SeedAsync(app);
        await ReportScenario.StoreFirstRoundAsync(app);
        Assert.IsType<EmailReportDelivery>(app.Services.GetRequiredService<IReportDelivery>()); // it replaced the logging default
        var scheduler = app.Services.GetRequiredService<ReportScheduler>();
        await Eventually.UntilAsync(() => Task.FromResult(scheduler.SleepingUntil), u => u == new DateTimeOffset(2026, 11, 29, 7, 0, 0, TimeSpan.Zero), "the scheduler asleep until 07:00", 60);

        app.Time.Advance(TimeSpan.FromHours(1));

        var mail = await app.Smtp.WaitForAsync("ArcBridge weekly readiness");
        var attachment = Assert.Single(mail.Attachments.OfType<MimeKit.MimePart>());
        Assert.Equal("application/pdf", attachment.ContentType.MimeType);
        var id = long.Parse(System.Text.RegularExpressions.Regex.Match(attachment.FileName ?? "", "^readiness-report-([0-9]+)\\.pdf$").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var stored = await app.InScopeAsync(sp => sp.GetRequiredService<ReportSnapshots>().GetAsync(id));
        // An hour on, the first round's results are stale: the report says what it found then, and so does the mail.
        var verdict = stored!.Report.Verdict.DisplayName();
        Assert.Equal($"ArcBridge weekly readiness: {verdict} (2026-11-29)", mail.Subject);
        Assert.Equal(["manager@corp.example", "oncall@corp.example", "noc@corp.example"], mail.To.Mailboxes.Select(m => m.Address));
        Assert.Contains($"Weekly readiness report {id}, 2026-11-29 07:00 UTC: {verdict}.", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains($"Open: {NotificationsApp.DashboardUrl}/reports/{id}", mail.TextBody, StringComparison.Ordinal);
        using var pdf = new MemoryStream();
        await attachment.Content!.DecodeToAsync(pdf);
        using var document = PdfDocument.Open(pdf.ToArray());
        Assert.Contains(verdict, string.Join(" ", document.GetPages().Select(p => p.Text)), StringComparison.Ordinal);
    }

    [Theory, BothProviders]
    public async Task Restart_PendingRetrySurvives_AndIsDeliveredByTheNextRun(DatabaseProvider provider)
    {
        // Its own apps: the same database and keys run twice.
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.AnswerNext(503);
        var endpoint = TestDatabase.Loopback("Notify restart", 1201);
        long deliveryId;
        string directory;
        string database;
        using (var first = new RestartApp(null, provider, null, endpoint) { KeepDirectory = true })
        {
            await first.InitializeAsync();
            directory = first.Directory;
            database = first.Database;
            var rule = await first.RuleAsync("restart rule", "Notify restart", new ChannelInput("restart json", NotificationChannelKind.Webhook, receiver.BaseUrl + "/hook", null, null));
            await using (var db = first.CreateDbContext())
            {
                var target = await TargetAsync(db, "Notify restart");
                var t0 = first.Time.GetUtcNow().AddHours(-1);
                await first.StoreAsync(Result(target, Verdict.Pass, t0), Result(target, Verdict.Pass, t0.AddMinutes(5)),
                    Result(target, Verdict.Fail, t0.AddMinutes(10)), Result(target, Verdict.Fail, t0.AddMinutes(15)));
            }
            var pending = await Eventually.UntilAsync(() => first.DeliveriesAsync(rule), d => d.Count == 1 && d[0].Attempts == 1, "the first, failed attempt");
            Assert.Equal(DeliveryStatus.Pending, pending[0].Status);
            deliveryId = pending[0].Id;
        }

        using var second = new RestartApp(directory, provider, database);
        second.CreateClient().Dispose();
        var dispatcher = second.Services.GetRequiredService<NotificationDispatcher>();
        await Eventually.UntilAsync(() => Task.FromResult(dispatcher.SleepingUntil), u => u is not null, "the restarted sender waiting for the retry");
        second.Time.Advance(TimeSpan.FromSeconds(30));

        var delivered = await Eventually.UntilAsync(async () =>
        {
            await using var db = second.CreateDbContext();
            return await db.NotificationDeliveries.AsNoTracking().SingleAsync(d => d.Id == deliveryId);
        }, d => d.Status != DeliveryStatus.Pending, "the retry after the restart");
        Assert.Equal((DeliveryStatus.Delivered, 2), (delivered.Status, delivered.Attempts));
        Assert.Equal("Failing: Notify restart (127.0.0.1) from built-in (ProxyDenied)", (string?)(await receiver.WaitForAsync(2))[1].Json["title"]);
    }

    [Theory, BothProviders]
    public async Task HangingWebhook_IngestGoesOnMeanwhile_DeliveryRecordedFailedAfterWebhookTimeout_NextOneStillSent(DatabaseProvider provider)
    {
        // Its own app: one attempt and a 5 s webhook timeout.
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.AnswerNext(WebhookReceiver.Hang);
        using var app = NotificationsApp.With(provider, new Dictionary<string, string?>
        {
            ["ArcBridge:Notifications:MaxAttempts"] = "1",
            ["ArcBridge:Notifications:WebhookTimeout"] = "00:00:05",
        }, TestDatabase.Loopback("Notify hang", 1401));
        await app.InitializeAsync();
        var rule = await app.RuleAsync("hang rule", "Notify hang", new ChannelInput("hang json", NotificationChannelKind.Webhook, receiver.BaseUrl + "/hook", null, null));
        await using var db = app.CreateDbContext();
        var target = await TargetAsync(db, "Notify hang");
        var t0 = app.Time.GetUtcNow().AddMinutes(-30);
        await app.StoreAsync(Result(target, Verdict.Pass, t0), Result(target, Verdict.Pass, t0.AddMinutes(5)),
            Result(target, Verdict.Fail, t0.AddMinutes(10)), Result(target, Verdict.Fail, t0.AddMinutes(15)));
        await receiver.WaitForAsync(1); // the sender is now stuck on the first delivery

        // Ingest does not wait for it: the recovery is stored and confirmed while that delivery is still unanswered.
        await app.StoreAsync(Result(target, Verdict.Pass, t0.AddMinutes(20)), Result(target, Verdict.Pass, t0.AddMinutes(25)));
        Assert.True(await db.ChangeEvents.AnyAsync(c => c.TargetId == target.Id && c.From == Verdict.Fail && c.To == Verdict.Pass));
        Assert.Equal(DeliveryStatus.Pending, (await app.DeliveriesAsync(rule))[0].Status);

        var settled = await app.SettledAsync(rule, 2);
        Assert.Equal((DeliveryStatus.Failed, 1, "No answer within 5 s (ArcBridge:Notifications:WebhookTimeout)."), (settled[0].Status, settled[0].Attempts, settled[0].Error));
        Assert.Equal((DeliveryStatus.Delivered, 1), (settled[1].Status, settled[1].Attempts));
        Assert.StartsWith("Recovered: Notify hang", (string?)(await receiver.WaitForAsync(2))[1].Json["title"], StringComparison.Ordinal);
    }

    [Theory, BothProviders]
    public async Task Readiness_FlipsToNotReadyAndBack_ReadinessRuleToldEachTime_NotOfTheFailureItself(DatabaseProvider provider)
    {
        // Its own app: a readiness rule is told of the whole deployment, whatever other tests store.
        await using var receiver = await WebhookReceiver.StartAsync();
        using var app = new RestartApp(null, provider, null, TestDatabase.Loopback("Notify readiness", 1301));
        await app.InitializeAsync();
        Assert.Null(await app.AdminAsync(a => a.AddChannelAsync(new ChannelInput("readiness json", NotificationChannelKind.Webhook, receiver.BaseUrl + "/hook", null, null))));
        var channel = await app.ChannelIdAsync("readiness json");
        Assert.Null(await app.AdminAsync(a => a.AddRuleAsync(new RuleInput("readiness only", false, false, true, null, null, null, [channel]))));
        await using var db = app.CreateDbContext();
        var target = await TargetAsync(db, "Notify readiness");
        var t0 = app.Time.GetUtcNow().AddMinutes(-10); // fresh results: a stale one is Incomplete whatever it says
        // The built-in agent is off here, so its role is a gap: the deployment starts Incomplete (remembered, not announced).
        await app.StoreAsync(Result(target, Verdict.Pass, t0), Result(target, Verdict.Pass, t0.AddMinutes(1)));
        // Readiness is worked out when the dispatcher gets to the change: wait for that first look before failing.
        await Eventually.UntilAsync(() => db.Settings.AsNoTracking().AnyAsync(x => x.Key == NotificationDispatcher.ReadinessKey), seen => seen, "the first readiness seen");

        await app.StoreAsync(Result(target, Verdict.Fail, t0.AddMinutes(2)), Result(target, Verdict.Fail, t0.AddMinutes(3)));
        var first = (await receiver.WaitForAsync(1))[0].Json;
        await app.StoreAsync(Result(target, Verdict.Pass, t0.AddMinutes(4)), Result(target, Verdict.Pass, t0.AddMinutes(5)));
        var second = (await receiver.WaitForAsync(2))[1].Json;

        Assert.Equal(("Readiness", "Readiness: Not ready (was Incomplete)"), ((string?)first["event"], (string?)first["title"]));
        Assert.Equal(("Readiness", "Readiness: Incomplete (was Not ready)"), ((string?)second["event"], (string?)second["title"]));
        Assert.Equal(2, receiver.All.Count);
        // Marked delivered once the receiver's answer is back, a moment after the receiver saw the request.
        await Eventually.UntilAsync(() => db.NotificationDeliveries.CountAsync(d => d.RuleName == "readiness only" && d.Status == DeliveryStatus.Delivered),
            delivered => delivered == 2, "both readiness deliveries recorded as delivered");
    }

    /// <summary>A notifications app that can reopen an earlier one's folder (database, keys, logs) and, on PostgreSQL, database.</summary>
    private sealed class RestartApp : NotificationsApp
    {
        public RestartApp(string? directory, DatabaseProvider provider, string? database, params CatalogEndpoint[] endpoints)
            : base(directory, provider, database, endpoints)
        {
        }
    }

    [Theory]
    [InlineData("ArcBridge:Smtp:From", "not-an-address", "ArcBridge:Smtp:From 'not-an-address' must be the sender's e-mail address")]
    [InlineData("ArcBridge:Smtp:Port", "0", "ArcBridge:Smtp:Port 0 is not a TCP port")]
    [InlineData("ArcBridge:Smtp:Password", "dp1:not-a-payload", "ArcBridge:Smtp:Password is encrypted with a Data Protection key this dashboard does not have")]
    [InlineData("ArcBridge:Notifications:MaxAttempts", "0", "ArcBridge:Notifications:MaxAttempts 0 must be between 1 and 100")]
    [InlineData("ArcBridge:Notifications:WebhookTimeout", "00:00:00", "ArcBridge:Notifications:WebhookTimeout 00:00:00 must be more than 0")]
    [InlineData("ArcBridge:Reports:Schedule:Recipients:0", "manager at corp", "ArcBridge:Reports:Schedule:Recipients 'manager at corp' is not an e-mail address")]
    public void Startup_BadNotificationOrSmtpSetting_FailsWithMessageNamingTheKey(string key, string value, string expected)
    {
        using var app = new ArcBridgeAppFactory(new Dictionary<string, string?>
        {
            ["ArcBridge:BuiltInAgentEnabled"] = "false",
            ["ArcBridge:Smtp:Host"] = "127.0.0.1",
            ["ArcBridge:Smtp:From"] = "arcbridge@corp.example",
            [key] = value,
        }); // its own: a bad configuration

        var error = Assert.Throws<OptionsValidationException>(() => app.CreateClient());

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Startup_ReportRecipientsWithoutSmtpHost_FailsNamingTheHostKey()
    {
        using var app = new ArcBridgeAppFactory(new Dictionary<string, string?>
        {
            ["ArcBridge:BuiltInAgentEnabled"] = "false",
            ["ArcBridge:Reports:Schedule:Recipients:0"] = "manager@corp.example",
        }); // its own: a bad configuration

        var error = Assert.Throws<OptionsValidationException>(() => app.CreateClient());

        Assert.Contains("ArcBridge:Smtp:Host is needed to e-mail the weekly report to ArcBridge:Reports:Schedule:Recipients", error.Message, StringComparison.Ordinal);
    }
}
