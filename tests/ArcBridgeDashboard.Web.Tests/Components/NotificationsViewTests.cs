using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Components.Pages.Notifications;
using ArcBridgeDashboard.Web.Data;
using ArcBridgeDashboard.Web.Notifications;
using Bunit;

namespace ArcBridgeDashboard.Web.Tests.Components;

/// <summary>The Notifications page's view: each tab shows what it is given, never a secret, and each form hands over what was typed.</summary>
public sealed class NotificationsViewTests : DashboardComponentTest
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 14, 0, 0, TimeSpan.Zero);

    private static readonly NotificationsViewModel Model = new(
        [new RuleView(1, "vm on-call", true, true, false, "Arc data plane", Sources.ApplianceVm, null, null, true, ["ops teams", "oncall mail"])],
        [
            new ChannelView(1, "ops teams", NotificationChannelKind.Teams, "Teams webhook at https://contoso.webhook.office.com", false, 1),
            new ChannelView(2, "ticketing", NotificationChannelKind.Webhook, "Webhook webhook at https://tickets.corp.example", true, 0),
            new ChannelView(3, "oncall mail", NotificationChannelKind.Email, "oncall@corp.example", false, 1),
        ],
        [
            new MaintenanceView(7, Now.AddMinutes(-30), Now.AddHours(1), null, null, null, "proxy upgrade CHG-1234", true),
            new MaintenanceView(8, Now.AddDays(-2), Now.AddDays(-2).AddHours(1), "Arc data plane", null, "vm-lab", "firewall change", false),
        ],
        [
            new DeliveryView(3, Now, "Failing: Arc data plane (westeurope.dp.prod.appliances.azure.com) from vm-lab (ProxyDenied)", "vm on-call", "ops teams",
                NotificationChannelKind.Teams, "Teams webhook at https://contoso.webhook.office.com", DeliveryStatus.Delivered, 2, Now, null, "The webhook answered 500 Internal Server Error"),
            new DeliveryView(2, Now.AddMinutes(-1), "Failing: MCR (mcr.microsoft.com) from built-in (TlsInspected)", "vm on-call", "oncall mail",
                NotificationChannelKind.Email, "oncall@corp.example", DeliveryStatus.Silenced, 0, Now, null, "silenced by maintenance window 7 “proxy upgrade CHG-1234”"),
            new DeliveryView(1, Now.AddMinutes(-2), "Recovered: Time (time.windows.com) from built-in", "vm on-call", "ops teams",
                NotificationChannelKind.Teams, "Teams webhook at https://contoso.webhook.office.com", DeliveryStatus.Failed, 3, Now, null, "No answer within 15 s (ArcBridge:Notifications:WebhookTimeout)."),
        ],
        ["Arc data plane", "Microsoft Container Registry"], [(2, "vm-lab")], true, "127.0.0.1:587 (TLS) as arcbridge@corp.example");

    private IRenderedComponent<NotificationsView> RenderView(NotificationsTab tab, Func<ChannelInput, Task<string?>>? addChannel = null,
        Func<RuleInput, Task<string?>>? addRule = null, Func<int, Task<string?>>? endMaintenance = null) =>
        Render<NotificationsView>(p => p.Add(c => c.Model, Model).Add(c => c.Tab, tab).Add(c => c.Now, Now)
            .Add(c => c.OnAddRule, addRule ?? (_ => Task.FromResult<string?>(null)))
            .Add(c => c.OnDeleteRule, _ => Task.FromResult<string?>(null))
            .Add(c => c.OnToggleRule, _ => Task.FromResult<string?>(null))
            .Add(c => c.OnAddChannel, addChannel ?? (_ => Task.FromResult<string?>(null)))
            .Add(c => c.OnDeleteChannel, _ => Task.FromResult<string?>(null))
            .Add(c => c.OnTestChannel, _ => Task.FromResult<string?>(null))
            .Add(c => c.OnAddMaintenance, _ => Task.FromResult<string?>(null))
            .Add(c => c.OnEndMaintenance, endMaintenance ?? (_ => Task.FromResult<string?>(null))));

    [Theory]
    [InlineData("history", NotificationsTab.History)]
    [InlineData("Channels", NotificationsTab.Channels)]
    [InlineData("maintenance", NotificationsTab.Maintenance)]
    [InlineData(null, NotificationsTab.Rules)]
    [InlineData("2", NotificationsTab.Rules)]
    [InlineData("nonsense", NotificationsTab.Rules)]
    public void TabOf_QueryValue_OpensThatTabElseRules(string? query, NotificationsTab expected) =>
        Assert.Equal(expected, NotificationsText.TabOf(query));

    [Fact]
    public void History_ShowsWhatWentWhereOutcomeAttemptsAndWhy()
    {
        var cut = RenderView(NotificationsTab.History);

        Assert.Empty(cut.FindAll("[data-testid=rule-form]")); // only the open tab renders
        var outcomes = new[] { 3, 2, 1 }.Select(id => cut.Find($"[data-testid=history-outcome-{id}]").TextContent).ToList();
        Assert.Contains("Delivered", outcomes[0], StringComparison.Ordinal);
        Assert.Contains("Silenced", outcomes[1], StringComparison.Ordinal);
        Assert.Contains("silenced by maintenance window 7 “proxy upgrade CHG-1234”", outcomes[1], StringComparison.Ordinal);
        Assert.Contains("Failed", outcomes[2], StringComparison.Ordinal);
        Assert.Contains("No answer within 15 s", outcomes[2], StringComparison.Ordinal);
        Assert.Equal(["2", "0", "3"], new[] { 3, 2, 1 }.Select(id => cut.Find($"[data-testid=history-attempts-{id}]").TextContent.Trim()));
        Assert.Contains("Failing: Arc data plane (westeurope.dp.prod.appliances.azure.com) from vm-lab (ProxyDenied)", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("oncall@corp.example", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Channels_ShowKindAndHostOnly_SecretAsAFact_AndWhereMailComesFrom()
    {
        var cut = RenderView(NotificationsTab.Channels);

        Assert.Equal("Teams webhook at https://contoso.webhook.office.com", cut.Find("[data-testid=channel-target-ops\\ teams]").TextContent.Trim());
        Assert.Contains("signed with a secret", cut.Find("[data-testid=channel-target-ticketing]").TextContent, StringComparison.Ordinal);
        Assert.Equal("E-mail: 127.0.0.1:587 (TLS) as arcbridge@corp.example", cut.Find("[data-testid=smtp-status]").TextContent.Trim());
        Assert.Contains("JSON webhook", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChannelForm_TypedTeamsUrl_IsHandedOverOnce_ThenTheFieldsEmpty_AndAnErrorSentenceShows()
    {
        var added = new List<ChannelInput>();
        var answers = new Queue<string?>(["There is already a channel named “ops teams”.", null]);
        var cut = RenderView(NotificationsTab.Channels, addChannel: input =>
        {
            added.Add(input);
            return Task.FromResult(answers.Dequeue());
        });

        await cut.Find("div[data-testid=channel-name] input, input[data-testid=channel-name]").ChangeAsync(new() { Value = "ops teams" });
        await cut.Find("div[data-testid=channel-url] input, input[data-testid=channel-url]").ChangeAsync(new() { Value = "https://contoso.webhook.office.com/webhookb2/abc" });
        await cut.Find("[data-testid=channel-add]").ClickAsync(new());
        cut.WaitForAssertion(() => Assert.Equal("There is already a channel named “ops teams”.", cut.Find("[data-testid=channel-error]").TextContent.Trim()));

        await cut.Find("div[data-testid=channel-name] input, input[data-testid=channel-name]").ChangeAsync(new() { Value = "ops teams 2" });
        await cut.Find("[data-testid=channel-add]").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=channel-error]")));
        Assert.Equal(new ChannelInput("ops teams 2", NotificationChannelKind.Teams, "https://contoso.webhook.office.com/webhookb2/abc", null, null), added[^1]);
        // The URL is write-only: once saved, the field is empty and the page never shows it.
        Assert.Equal("password", cut.Find("div[data-testid=channel-url] input, input[data-testid=channel-url]").GetAttribute("type"));
        Assert.DoesNotContain("webhookb2/abc", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rules_ListWhenAndScopeInWords_AndTheFormHandsOverTheTickedChannel()
    {
        var added = new List<RuleInput>();
        var cut = RenderView(NotificationsTab.Rules, addRule: input =>
        {
            added.Add(input);
            return Task.FromResult<string?>(null);
        });

        Assert.Equal("failure, recovery", cut.Find("[data-testid=rule-when-vm\\ on-call]").TextContent.Trim());
        Assert.Contains("Arc data plane · from Appliance VM", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("ops teams, oncall mail", cut.Markup, StringComparison.Ordinal);

        await cut.Find("div[data-testid=rule-name] input, input[data-testid=rule-name]").ChangeAsync(new() { Value = "mail on readiness" });
        await cut.Find("[data-testid='rule-channel-oncall mail'] input[type=checkbox], input[data-testid='rule-channel-oncall mail']").ChangeAsync(new() { Value = true });
        await cut.Find("[data-testid=rule-on-readiness] input[type=checkbox], input[data-testid=rule-on-readiness]").ChangeAsync(new() { Value = true });
        await cut.Find("[data-testid=rule-add]").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Single(added));
        Assert.Equal(("mail on readiness", true, true, true, 3), (added[0].Name, added[0].OnFailure, added[0].OnRecovery, added[0].OnReadinessChange, added[0].ChannelIds.Single()));
    }

    [Fact]
    public async Task Maintenance_ActiveWindowSaysSoAndEndsNow_PastOneHasNoButton()
    {
        var ended = new List<int>();
        var cut = RenderView(NotificationsTab.Maintenance, endMaintenance: id =>
        {
            ended.Add(id);
            return Task.FromResult<string?>(null);
        });

        Assert.Equal("silencing now", cut.Find("[data-testid=maintenance-active-7]").TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-testid=maintenance-end-8]"));
        Assert.Contains("Arc data plane · from every role · agent vm-lab", cut.Markup, StringComparison.Ordinal);
        Assert.Equal("End now", cut.Find("[data-testid=maintenance-end-7]").TextContent.Trim());

        await cut.Find("[data-testid=maintenance-end-7]").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Equal([7], ended));
    }

    [Fact]
    public async Task Maintenance_TimesAreShownAndEnteredInUtcAndSaySo()
    {
        var added = new List<MaintenanceInput>();
        var cut = Render<NotificationsView>(p => p.Add(c => c.Model, Model).Add(c => c.Tab, NotificationsTab.Maintenance).Add(c => c.Now, Now)
            .Add(c => c.OnAddRule, _ => Task.FromResult<string?>(null))
            .Add(c => c.OnDeleteRule, _ => Task.FromResult<string?>(null))
            .Add(c => c.OnToggleRule, _ => Task.FromResult<string?>(null))
            .Add(c => c.OnAddChannel, _ => Task.FromResult<string?>(null))
            .Add(c => c.OnDeleteChannel, _ => Task.FromResult<string?>(null))
            .Add(c => c.OnTestChannel, _ => Task.FromResult<string?>(null))
            .Add(c => c.OnAddMaintenance, input =>
            {
                added.Add(input);
                return Task.FromResult<string?>(null);
            })
            .Add(c => c.OnEndMaintenance, _ => Task.FromResult<string?>(null)));

        var form = cut.Find("[data-testid=maintenance-form]").TextContent;
        Assert.Contains("From (UTC)", form, StringComparison.Ordinal);
        Assert.Contains("To (UTC)", form, StringComparison.Ordinal);
        var row = cut.Find("[data-testid=maintenance-table] tbody tr").TextContent;
        Assert.Contains("2026-12-06 13:30 UTC", row, StringComparison.Ordinal);
        Assert.Contains("2026-12-06 15:00 UTC", row, StringComparison.Ordinal);

        await cut.Find("div[data-testid=maintenance-start] input, input[data-testid=maintenance-start]").ChangeAsync(new() { Value = "2026-12-07T02:00" });
        await cut.Find("div[data-testid=maintenance-end] input, input[data-testid=maintenance-end]").ChangeAsync(new() { Value = "2026-12-07T03:30" });
        await cut.Find("div[data-testid=maintenance-reason] input, input[data-testid=maintenance-reason]").ChangeAsync(new() { Value = "proxy upgrade CHG-1235" });
        await cut.Find("[data-testid=maintenance-add]").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Single(added));
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 2, 0, 0, TimeSpan.Zero), added[0].StartsAt);
        Assert.Equal(TimeSpan.Zero, added[0].StartsAt!.Value.Offset);
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 3, 30, 0, TimeSpan.Zero), added[0].EndsAt);
    }
}
