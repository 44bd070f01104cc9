using System.Text;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Configuration;
using ArcBridgeDashboard.Web.Data;
using ArcBridgeDashboard.Web.Notifications;
using ArcBridgeDashboard.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static ArcBridgeDashboard.Web.Tests.Changes.ChangeTestData;

namespace ArcBridgeDashboard.Web.Tests.Notifications;

/// <summary>
/// Notifications end to end on one app: results through the real ingest path (flap damping, ConfirmAfterResults = 2),
/// rules and channels through the page's service, webhooks to Kestrel on 127.0.0.1 and mail to a real SMTP server.
/// Each test scopes its rule to its own service, so the tests can share the app (one per provider: <see cref="OnSqlite"/>,
/// <see cref="OnPostgreSql"/>).
/// </summary>
public abstract class NotificationDispatchTests(NotificationDispatchTests.App app)
{
    public sealed class OnSqlite(App.Sqlite app) : NotificationDispatchTests(app), IClassFixture<App.Sqlite>;

    public sealed class OnPostgreSql(App.PostgreSql app) : NotificationDispatchTests(app), IClassFixture<App.PostgreSql>;

    public abstract class App(DatabaseProvider provider) : NotificationsApp(provider,
        TestDatabase.Loopback("Notify flap", 1101), TestDatabase.Loopback("Notify chat", 1102), TestDatabase.Loopback("Notify mail", 1103),
        TestDatabase.Loopback("Notify retry", 1104), TestDatabase.Loopback("Notify quiet", 1105), TestDatabase.Loopback("Notify secret", 1106))
    {
        public sealed class Sqlite() : App(DatabaseProvider.Sqlite);

        public sealed class PostgreSql() : App(DatabaseProvider.PostgreSql);
    }

    private async Task<Target> TargetAsync(string service)
    {
        await using var db = app.CreateDbContext();
        return await Changes.ChangeTestData.TargetAsync(db, service);
    }

    [Fact]
    public async Task Flapping_AlternatingResultsNotifyNobody_TwoConsecutiveFailuresNotifyOnce_WithSignedJson()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var rule = await app.RuleAsync("flap rule", "Notify flap", new ChannelInput("flap json", NotificationChannelKind.Webhook, receiver.BaseUrl + "/hook", "flap-signing-key", null));
        // Same service and channel, but only for the appliance VM's view: the built-in agent's change is not its business.
        var channel = await app.ChannelIdAsync("flap json");
        Assert.Null(await app.AdminAsync(a => a.AddRuleAsync(new RuleInput("flap vm only", true, true, false, "Notify flap", Sources.ApplianceVm, null, [channel]))));
        var target = await TargetAsync("Notify flap");
        var t0 = app.Time.GetUtcNow().AddHours(-1);
        await app.StoreAsync(Result(target, Verdict.Pass, t0), Result(target, Verdict.Pass, t0.AddMinutes(5)));

        // Fail, pass, fail, pass…: never two in a row, so nothing is confirmed and no one is told.
        await app.StoreAsync([.. Enumerable.Range(2, 8).Select(i => Result(target, i % 2 == 0 ? Verdict.Fail : Verdict.Pass, t0.AddMinutes(5 * i)))]);
        // Then two failures in a row: one confirmed change. The queue and the sender keep their order, so once this
        // one has arrived, anything the flapping had caused would have arrived before it.
        await app.StoreAsync(Result(target, Verdict.Fail, t0.AddMinutes(50)), Result(target, Verdict.Fail, t0.AddMinutes(55)));

        var delivered = Assert.Single(await app.SettledAsync(rule, 1));
        Assert.Equal((DeliveryStatus.Delivered, 1), (delivered.Status, delivered.Attempts));
        var request = Assert.Single(receiver.All);
        var json = request.Json;
        Assert.Equal(("Failure", "Notify flap", "127.0.0.1", "built-in", "Pass", "Fail", "ProxyDenied"),
            ((string?)json["event"], (string?)json["service"], (string?)json["host"], (string?)json["agent"], (string?)json["from"], (string?)json["to"], (string?)json["reason"]));
        Assert.Equal("Failing: Notify flap (127.0.0.1) from built-in (ProxyDenied)", (string?)json["title"]);
        Assert.Equal(NotificationsApp.DashboardUrl + "/changes", (string?)json["link"]);
        // The receiver can trust the body: HMAC-SHA256 with the shared secret.
        Assert.Equal(ChannelSender.Sign("flap-signing-key", request.Body), request.Headers[ChannelSender.SignatureHeader]);
        Assert.Equal(1, await CountChangeEventsAsync(target, Verdict.Fail));
        await using var db = app.CreateDbContext();
        Assert.False(await db.NotificationDeliveries.AnyAsync(d => d.RuleName == "flap vm only"));
    }

    [Fact]
    public async Task FailureThenRecovery_TeamsGetsAnAdaptiveCard_SlackGetsTextAndBlocks()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var rule = await app.RuleAsync("chat rule", "Notify chat",
            new ChannelInput("chat teams", NotificationChannelKind.Teams, receiver.BaseUrl + "/teams", null, null),
            new ChannelInput("chat slack", NotificationChannelKind.Slack, receiver.BaseUrl + "/slack", null, null));
        var target = await TargetAsync("Notify chat");
        var t0 = app.Time.GetUtcNow().AddHours(-1);
        await app.StoreAsync(Result(target, Verdict.Pass, t0), Result(target, Verdict.Pass, t0.AddMinutes(5)));

        await app.StoreAsync(Result(target, Verdict.Fail, t0.AddMinutes(10), ReasonCode.ProxyAuthRequired), Result(target, Verdict.Fail, t0.AddMinutes(15), ReasonCode.ProxyAuthRequired));
        await app.SettledAsync(rule, 2);
        await app.StoreAsync(Result(target, Verdict.Pass, t0.AddMinutes(20)), Result(target, Verdict.Pass, t0.AddMinutes(25)));
        var deliveries = await app.SettledAsync(rule, 4);

        Assert.All(deliveries, d => Assert.Equal(DeliveryStatus.Delivered, d.Status));
        var requests = await receiver.WaitForAsync(4);
        var teams = requests.Where(r => r.Path == "/teams").Select(r => r.Json).ToList();
        var slack = requests.Where(r => r.Path == "/slack").Select(r => r.Json).ToList();
        Assert.Equal(2, teams.Count);
        Assert.Equal(2, slack.Count);

        var attachment = teams[0]["attachments"]![0]!;
        Assert.Equal("message", (string?)teams[0]["type"]);
        Assert.Equal("application/vnd.microsoft.card.adaptive", (string?)attachment["contentType"]);
        var card = attachment["content"]!;
        Assert.Equal(("AdaptiveCard", "Failing: Notify chat (127.0.0.1) from built-in (ProxyAuthRequired)", "Attention"),
            ((string?)card["type"], (string?)card["body"]![0]!["text"], (string?)card["body"]![0]!["color"]));
        var facts = card["body"]![2]!["facts"]!.AsArray().ToDictionary(f => (string)f!["title"]!, f => (string)f!["value"]!);
        Assert.Equal(("Notify chat", "127.0.0.1", "Pass → Fail"), (facts["Service"], facts["Host"], facts["Change"]));
        Assert.Equal(NotificationsApp.DashboardUrl + "/changes", (string?)card["actions"]![0]!["url"]);
        Assert.Equal(("Recovered: Notify chat (127.0.0.1) from built-in", "Good"),
            ((string?)teams[1]["attachments"]![0]!["content"]!["body"]![0]!["text"], (string?)teams[1]["attachments"]![0]!["content"]!["body"]![0]!["color"]));

        Assert.StartsWith("Failing: Notify chat (127.0.0.1)", (string?)slack[0]["text"], StringComparison.Ordinal);
        var blocks = slack[0]["blocks"]!.AsArray();
        Assert.Equal(("header", "Failing: Notify chat (127.0.0.1) from built-in (ProxyAuthRequired)"), ((string?)blocks[0]!["type"], (string?)blocks[0]!["text"]!["text"]));
        Assert.Contains(blocks[2]!["fields"]!.AsArray(), f => (string?)f!["text"] == "*Reason*\nProxyAuthRequired");
        Assert.StartsWith("Recovered: Notify chat", (string?)slack[1]["text"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Failure_EmailChannel_ArrivesAtTheSmtpServerWithSubjectAndBody_LoggedInWithTheDecryptedPassword()
    {
        var rule = await app.RuleAsync("mail rule", "Notify mail", new ChannelInput("mail oncall", NotificationChannelKind.Email, null, null, "oncall@corp.example, noc@corp.example"));
        var target = await TargetAsync("Notify mail");
        var t0 = app.Time.GetUtcNow().AddHours(-1);
        await app.StoreAsync(Result(target, Verdict.Pass, t0), Result(target, Verdict.Pass, t0.AddMinutes(5)));

        await app.StoreAsync(Result(target, Verdict.Fail, t0.AddMinutes(10)), Result(target, Verdict.Fail, t0.AddMinutes(15)));

        var mail = await app.Smtp.WaitForAsync("Failing: Notify mail");
        Assert.Equal("Failing: Notify mail (127.0.0.1) from built-in (ProxyDenied)", mail.Subject);
        Assert.Equal(["oncall@corp.example", "noc@corp.example"], mail.To.Mailboxes.Select(m => m.Address));
        Assert.Equal("arcbridge@corp.example", mail.From.Mailboxes.Single().Address);
        Assert.Contains("Service: Notify mail", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("Change: Pass → Fail", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("Open: " + NotificationsApp.DashboardUrl + "/changes", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains((NotificationsApp.SmtpUser, NotificationsApp.SmtpPassword), app.Smtp.Logins);
        var delivery = Assert.Single(await app.SettledAsync(rule, 1));
        Assert.Equal((DeliveryStatus.Delivered, "oncall@corp.example, noc@corp.example"), (delivery.Status, delivery.Recipient));
    }

    [Fact]
    public async Task Retry_ReceiverAnswers500Once_ThenDeliveredOnTheSecondAttemptAfterRetryDelay()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.AnswerNext(500);
        var rule = await app.RuleAsync("retry rule", "Notify retry", new ChannelInput("retry json", NotificationChannelKind.Webhook, receiver.BaseUrl + "/hook", null, null));
        var target = await TargetAsync("Notify retry");
        var t0 = app.Time.GetUtcNow().AddHours(-1);
        await app.StoreAsync(Result(target, Verdict.Pass, t0), Result(target, Verdict.Pass, t0.AddMinutes(5)));

        await app.StoreAsync(Result(target, Verdict.Fail, t0.AddMinutes(10)), Result(target, Verdict.Fail, t0.AddMinutes(15)));

        var failedOnce = await Eventually.UntilAsync(() => app.DeliveriesAsync(rule), d => d.Count == 1 && d[0].Attempts == 1, "the first attempt");
        Assert.Equal(DeliveryStatus.Pending, failedOnce[0].Status);
        Assert.Equal("The webhook answered 500 Internal Server Error: receiver is down", failedOnce[0].Error);
        Assert.Equal(app.Time.GetUtcNow() + TimeSpan.FromSeconds(30), failedOnce[0].NextAttemptAt);
        var dispatcher = app.Services.GetRequiredService<NotificationDispatcher>();
        // Asleep until the retry; on PostgreSQL (replicas may share the database) sooner, to look for other replicas' deliveries.
        var expectedWake = app.Provider == DatabaseProvider.PostgreSql ? app.Time.GetUtcNow() + Web.Scale.PostgresAdvisoryLease.DefaultRetryInterval : failedOnce[0].NextAttemptAt;
        await Eventually.UntilAsync(() => Task.FromResult(dispatcher.SleepingUntil), u => u == expectedWake, "the sender asleep until the retry");
        Assert.Single(receiver.All); // nothing before the retry delay

        app.Time.Advance(TimeSpan.FromSeconds(30));

        var delivered = Assert.Single(await app.SettledAsync(rule, 1));
        Assert.Equal((DeliveryStatus.Delivered, 2), (delivered.Status, delivered.Attempts));
        Assert.Equal(2, (await receiver.WaitForAsync(2)).Count);
    }

    [Fact]
    public async Task Maintenance_WindowOverTheService_NothingSent_HistoryRecordsItSilenced_ChangeStillRecorded()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var rule = await app.RuleAsync("quiet rule", "Notify quiet", new ChannelInput("quiet json", NotificationChannelKind.Webhook, receiver.BaseUrl + "/hook", null, null));
        var now = app.Time.GetUtcNow();
        Assert.Null(await app.AdminAsync(a => a.AddMaintenanceAsync(new MaintenanceInput(now.AddMinutes(-5), now.AddHours(2), "Notify quiet", null, null, "proxy upgrade CHG-1234"))));
        var target = await TargetAsync("Notify quiet");
        var t0 = now.AddHours(-1);
        await app.StoreAsync(Result(target, Verdict.Pass, t0), Result(target, Verdict.Pass, t0.AddMinutes(5)));

        await app.StoreAsync(Result(target, Verdict.Fail, t0.AddMinutes(10)), Result(target, Verdict.Fail, t0.AddMinutes(15)));

        // Deliveries of one change are written together: a silenced row means nothing else was queued for it.
        var silenced = Assert.Single(await app.SettledAsync(rule, 1));
        Assert.Equal((DeliveryStatus.Silenced, 0), (silenced.Status, silenced.Attempts));
        Assert.StartsWith("silenced by maintenance window", silenced.Error, StringComparison.Ordinal);
        Assert.Contains("proxy upgrade CHG-1234", silenced.Error, StringComparison.Ordinal);
        Assert.Empty(receiver.All);
        Assert.Equal(1, await CountChangeEventsAsync(target, Verdict.Fail));
        var history = await app.InScopeAsync(sp => sp.GetRequiredService<NotificationAdmin>().HistoryAsync());
        Assert.Contains(history, h => h.Id == silenced.Id && h.Status == DeliveryStatus.Silenced && h.Title.StartsWith("Failing: Notify quiet", StringComparison.Ordinal));
        // The page itself, as served: the History tab names the window; the Maintenance tab says it is silencing now.
        using var client = app.CreateClient();
        var page = System.Net.WebUtility.HtmlDecode(await client.GetStringAsync("/notifications?tab=history"));
        Assert.Contains("silenced by maintenance window", page, StringComparison.Ordinal);
        Assert.Contains("Failing: Notify quiet (127.0.0.1) from built-in (ProxyDenied)", page, StringComparison.Ordinal);
        var maintenance = System.Net.WebUtility.HtmlDecode(await client.GetStringAsync("/notifications?tab=maintenance"));
        Assert.Contains("proxy upgrade CHG-1234", maintenance, StringComparison.Ordinal);
        Assert.Contains("silencing now", maintenance, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(NotificationChannelKind.Teams, "not a url", null, "The webhook URL must be an http or https address")]
    [InlineData(NotificationChannelKind.Slack, "ftp://hooks.example/x", null, "The webhook URL must be an http or https address")]
    [InlineData(NotificationChannelKind.Email, null, "oncall at corp", "“oncall at corp” is not an e-mail address.")]
    [InlineData(NotificationChannelKind.Email, null, " ", "Give at least one recipient's e-mail address")]
    public async Task AddChannel_BadInput_RefusedWithASentence_NothingStored(NotificationChannelKind kind, string? url, string? recipients, string expected)
    {
        var name = $"bad {kind} {Guid.NewGuid():N}";

        var error = await app.AdminAsync(a => a.AddChannelAsync(new ChannelInput(name, kind, url, null, recipients)));

        Assert.StartsWith(expected, error, StringComparison.Ordinal);
        await using var db = app.CreateDbContext();
        Assert.False(await db.NotificationChannels.AnyAsync(c => c.Name == name));
    }

    [Fact]
    public async Task Secrets_WebhookUrlTokenSigningSecretAndSmtpPassword_NeverInClearInDatabaseOrLogs()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        const string token = "hook-token-5b7f0c";
        const string secret = "signing-secret-9d2e";
        var rule = await app.RuleAsync("secret rule", "Notify secret", new ChannelInput("secret json", NotificationChannelKind.Webhook, $"{receiver.BaseUrl}/hooks/{token}", secret, null),
            new ChannelInput("secret mail", NotificationChannelKind.Email, null, null, "oncall@corp.example"));
        var target = await TargetAsync("Notify secret");
        var t0 = app.Time.GetUtcNow().AddHours(-1);
        await app.StoreAsync(Result(target, Verdict.Pass, t0), Result(target, Verdict.Pass, t0.AddMinutes(5)));
        await app.StoreAsync(Result(target, Verdict.Fail, t0.AddMinutes(10)), Result(target, Verdict.Fail, t0.AddMinutes(15)));
        Assert.All(await app.SettledAsync(rule, 2), d => Assert.Equal(DeliveryStatus.Delivered, d.Status));
        Assert.Equal($"/hooks/{token}", (await receiver.WaitForAsync(1))[0].Path); // it went to the real URL

        await using (var db = app.CreateDbContext())
        {
            var channel = await db.NotificationChannels.SingleAsync(c => c.Name == "secret json");
            Assert.StartsWith("dp1:", channel.ProtectedUrl, StringComparison.Ordinal);
            Assert.StartsWith("dp1:", channel.ProtectedSecret, StringComparison.Ordinal);
            if (app.Provider == DatabaseProvider.Sqlite)
                await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(FULL);"); // all in the file that is read below
            else
            {
                // PostgreSQL's files are the server's: read every row of the tables that hold channels and deliveries instead.
                var rows = await db.Database.SqlQueryRaw<string>("""
                    SELECT row_to_json(c)::text AS "Value" FROM "NotificationChannels" c
                    UNION ALL SELECT row_to_json(d)::text FROM "NotificationDeliveries" d
                    UNION ALL SELECT row_to_json(s)::text FROM "Settings" s
                    """).ToListAsync();
                Assert.NotEmpty(rows);
                Assert.DoesNotContain(rows, r => r.Contains(token, StringComparison.Ordinal) || r.Contains(secret, StringComparison.Ordinal)
                    || r.Contains(NotificationsApp.SmtpPassword, StringComparison.Ordinal));
            }
        }
        var shown = await app.InScopeAsync(sp => sp.GetRequiredService<NotificationAdmin>().ChannelsAsync());
        Assert.Equal($"Webhook webhook at {receiver.BaseUrl}", shown.Single(c => c.Name == "secret json").Target);
        foreach (var file in Directory.EnumerateFiles(app.Directory, "*", SearchOption.AllDirectories).Where(f => !f.Contains($"{Path.DirectorySeparatorChar}keys{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            var text = Encoding.Latin1.GetString(await SharedFile.ReadAllBytesAsync(file));
            Assert.False(text.Contains(token, StringComparison.Ordinal), $"{file} holds the webhook URL's token in clear");
            Assert.False(text.Contains(secret, StringComparison.Ordinal), $"{file} holds the signing secret in clear");
            Assert.False(text.Contains(NotificationsApp.SmtpPassword, StringComparison.Ordinal), $"{file} holds the SMTP password in clear");
        }
        Assert.Contains(Directory.EnumerateFiles(app.Directory, "*.log", SearchOption.AllDirectories), f => new FileInfo(f).Length > 0);
    }

    private async Task<int> CountChangeEventsAsync(Target target, Verdict to)
    {
        await using var db = app.CreateDbContext();
        return await db.ChangeEvents.CountAsync(c => c.TargetId == target.Id && c.To == to);
    }

}
