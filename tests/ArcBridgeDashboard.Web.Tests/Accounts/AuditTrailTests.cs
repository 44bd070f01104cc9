using System.Net;
using System.Net.Http.Json;
using ArcBridgeDashboard.Probes.Catalog;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Accounts;
using ArcBridgeDashboard.Web.Agents;
using ArcBridgeDashboard.Web.Catalog;
using ArcBridgeDashboard.Web.Components.Pages.Admin;
using ArcBridgeDashboard.Web.Components.Pages.Agents;
using ArcBridgeDashboard.Web.Components.Pages.Allowlist;
using ArcBridgeDashboard.Web.Components.Pages.Notifications;
using ArcBridgeDashboard.Web.Components.Pages.Reports;
using ArcBridgeDashboard.Web.Components.Pages.Settings;
using ArcBridgeDashboard.Web.Configuration;
using ArcBridgeDashboard.Web.Data;
using ArcBridgeDashboard.Web.Notifications;
using ArcBridgeDashboard.Web.Tests.Support;
using Bunit;
using Microsoft.EntityFrameworkCore;

namespace ArcBridgeDashboard.Web.Tests.Accounts;

/// <summary>
/// Issue 12: every audited action done the way a user does it (the page's own handler in a circuit of a real account,
/// or the HTTP endpoint), then read back: who, what, when, from the database and on the Audit log page, with no
/// secret (proxy password, SMTP password, webhook URL and secret, API key, enrolment token, agent credential, a
/// mistyped password) anywhere in the audit log. On both providers.
/// </summary>
public sealed class AuditTrailTests
{
    private const string ProxySecret = "proxy-secret-Zq81";
    private const string SmtpSecret = "smtp-secret-Hv42";
    private const string WebhookUrlSecret = "url-secret-Kd07";
    private const string WebhookSigningSecret = "signing-secret-Pw55";
    private const string MistypedPassword = "mistyped-secret-Ru19";
    private const string Admin = ArcBridgeAppFactory.AdminUserName;

    private static ArcBridgeAppFactory NewApp(DatabaseProvider provider) => new(new Dictionary<string, string?>
    {
        ["ArcBridge:BuiltInAgentEnabled"] = "false",
        // Configured so an e-mail channel can be added; nothing is ever sent (no rule fires).
        ["ArcBridge:Smtp:Host"] = "127.0.0.1",
        ["ArcBridge:Smtp:From"] = "dashboard@corp.example",
        ["ArcBridge:Smtp:User"] = "mailer",
        ["ArcBridge:Smtp:Password"] = SmtpSecret,
    }, provider: provider);

    [Theory, BothProviders]
    public async Task EveryAction_ThroughItsPageOrEndpoint_IsAuditedWithWhoWhatWhen_AndNoSecret_AndListedForAnAdminOnly(DatabaseProvider provider)
    {
        using var app = NewApp(provider);
        using var adminHttp = app.CreateClient(); // signs the Admin in through the form: "Signed in"
        using (await app.PostSignInAsync(Admin, MistypedPassword)) { } // "Sign-in failed"
        var secrets = new List<string> { ProxySecret, SmtpSecret, WebhookUrlSecret, WebhookSigningSecret, MistypedPassword, ArcBridgeAppFactory.TestPassword };
        var now = app.Time.GetUtcNow();

        await using (var admin = await AppCircuit.OpenAsync(app, Admin))
        {
            // Settings: a proxy with a password.
            var settings = admin.Render<SettingsPage>();
            settings.WaitForState(() => settings.HasComponent<SettingsForm>());
            var form = settings.FindComponent<SettingsForm>();
            var model = form.Instance.Value.Clone();
            model.ProxyUrl = "http://127.0.0.1:3128";
            model.ProxyUser = "svc-proxy";
            model.PasswordChange = PasswordChange.Replace;
            model.NewPassword = ProxySecret;
            await form.InvokeAsync(() => form.Instance.OnSave.InvokeAsync(model));

            // Allowlist import.
            // Each page loads from the database after its first render (at once on SQLite, a round trip later on
            // PostgreSQL): wait for what the test uses, as a user waits for it to appear.
            var allowlist = admin.Render<AllowlistPage>();
            allowlist.WaitForState(() => allowlist.HasComponent<ImportPanel>());
            var import = allowlist.FindComponent<ImportPanel>();
            await import.InvokeAsync(() => import.Instance.OnAccept.InvokeAsync(new ImportAcceptance(NewerMarkdown(), false)));

            // Agents: a token, the agent enrolling with it over HTTP, Check now, revoking the agent; a second token revoked unused.
            var agents = admin.Render<AgentsPage>();
            agents.WaitForState(() => agents.HasComponent<EnrollmentTokenPanel>());
            var tokens = agents.FindComponent<EnrollmentTokenPanel>();
            await tokens.InvokeAsync(() => tokens.Instance.OnCreate.InvokeAsync("lab VM"));
            var token = agents.FindComponent<EnrollmentTokenPanel>().Instance.Created!;
            secrets.Add(token.Token);
            using var anonymous = app.CreateAnonymousClient();
            using var enrolled = await anonymous.PostAsJsonAsync(AgentApi.EnrollPath,
                new EnrollRequest { Token = token.Token, Name = "lab-vm", Role = Sources.ApplianceVm }, ProbeJson.Options);
            var agent = (await enrolled.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<EnrollResponse>(ProbeJson.Options))!;
            secrets.Add(agent.Credential);
            agents = admin.Render<AgentsPage>(); // opened again, the page lists the new agent
            agents.WaitForState(() => agents.HasComponent<AgentTable>() && agents.HasComponent<EnrollmentTokenPanel>());
            tokens = agents.FindComponent<EnrollmentTokenPanel>();
            await agents.InvokeAsync(async () =>
            {
                var table = agents.FindComponent<AgentTable>().Instance;
                await table.OnCheckNow.InvokeAsync(agent.AgentId);
                await table.OnRevoke.InvokeAsync(agent.AgentId);
            });
            await tokens.InvokeAsync(() => tokens.Instance.OnCreate.InvokeAsync(null));
            var unused = agents.FindComponent<EnrollmentTokenPanel>().Instance.Created!;
            secrets.Add(unused.Token);
            await tokens.InvokeAsync(() => tokens.Instance.OnRevokeToken.InvokeAsync(unused.Id));

            // A report.
            var reports = admin.Render<ReportsPage>();
            reports.WaitForState(() => reports.HasComponent<ReportListView>());
            var list = reports.FindComponent<ReportListView>();
            await list.InvokeAsync(() => list.Instance.OnGenerate.InvokeAsync());

            // Notifications: a signed webhook (its URL is a secret too) and an e-mail channel.
            var notifications = admin.Render<NotificationsPage>();
            notifications.WaitForState(() => notifications.HasComponent<NotificationsView>());
            var view = notifications.FindComponent<NotificationsView>();
            Assert.Null(await view.InvokeAsync(() => view.Instance.OnAddChannel(new ChannelInput("ops hook", NotificationChannelKind.Webhook,
                $"https://hooks.corp.example/in/{WebhookUrlSecret}", WebhookSigningSecret, null))));
            Assert.Null(await view.InvokeAsync(() => view.Instance.OnAddChannel(new ChannelInput("ops mail", NotificationChannelKind.Email, null, null, "ops@corp.example"))));

            // An API key, shown once, then revoked.
            var keys = admin.Render<ApiKeysPage>();
            await keys.WaitForElement("input[data-testid=api-key-name]").ChangeAsync(new() { Value = "grafana" });
            await keys.Find("button[data-testid=api-key-create]").ClickAsync(new());
            var key = keys.WaitForElement("[data-testid=api-key-value]").TextContent.Trim();
            Assert.StartsWith(ApiKeyService.KeyPrefix, key, StringComparison.Ordinal);
            secrets.Add(key);
            await keys.WaitForElement("button[data-testid=api-key-revoke-grafana]").ClickAsync(new());
        }

        await using var db = app.CreateDbContext();
        var entries = await db.AuditEntries.AsNoTracking().OrderBy(a => a.Id).ToListAsync();
        var agentId = (await db.Agents.SingleAsync(a => a.Name == "lab-vm")).Id;
        AssertEntry(entries, Admin, AuditActions.SignedIn, "");
        AssertEntry(entries, Admin, AuditActions.SignInFailed, "wrong user name or password");
        AssertEntry(entries, Admin, AuditActions.SettingsChanged, "proxy http://127.0.0.1:3128");
        AssertEntry(entries, Admin, AuditActions.CatalogImported, "version 2026-11-01, ");
        var created = AssertEntry(entries, Admin, AuditActions.AgentTokenCreated, "note: lab VM");
        var enrolment = AssertEntry(entries, "agent:lab-vm", AuditActions.AgentEnrolled, $"agent {agentId} 'lab-vm'");
        Assert.Contains($"created by {Admin}", enrolment.Detail, StringComparison.Ordinal); // traced to who let it in
        Assert.Contains(AuditLog.TokenDetail(int.Parse(created.Detail.Split(',')[0]["token ".Length..], System.Globalization.CultureInfo.InvariantCulture)), enrolment.Detail, StringComparison.Ordinal);
        AssertEntry(entries, Admin, AuditActions.CheckTriggered, $"agent {agentId} 'lab-vm'");
        AssertEntry(entries, Admin, AuditActions.AgentRevoked, $"agent {agentId} 'lab-vm'");
        AssertEntry(entries, Admin, AuditActions.AgentTokenRevoked, AuditLog.TokenDetail(await db.Set<EnrollmentToken>().Where(t => t.RevokedAt != null).Select(t => t.Id).SingleAsync()));
        AssertEntry(entries, Admin, AuditActions.ReportGenerated, "report #");
        AssertEntry(entries, Admin, AuditActions.NotificationsChanged, "channel 'ops hook' (Webhook) added");
        AssertEntry(entries, Admin, AuditActions.NotificationsChanged, "channel 'ops mail' (Email) added");
        AssertEntry(entries, Admin, AuditActions.ApiKeyCreated, "grafana (Viewer)");
        AssertEntry(entries, Admin, AuditActions.ApiKeyRevoked, "grafana");
        // When: every entry carries the app's clock (a fake one here, so exactly), and an actor.
        Assert.All(entries, e => Assert.Equal(now, e.At));
        Assert.All(entries, e => Assert.False(string.IsNullOrWhiteSpace(e.User) || e.User == "anonymous", $"{e.Action} has no actor"));
        AssertNoSecret(entries.Select(e => $"{e.User} | {e.Action} | {e.Detail} | {e.Address}"), secrets);

        // The Audit log page: an Admin reads all of it, without a secret; an Operator or Viewer is turned away.
        var page = await adminHttp.GetStringAsync("/audit");
        foreach (var action in entries.Select(e => e.Action).Distinct())
            Assert.Contains(WebUtility.HtmlEncode(action), page, StringComparison.Ordinal);
        Assert.Contains("agent:lab-vm", page, StringComparison.Ordinal);
        AssertNoSecret([page], secrets);
        foreach (var role in new[] { DashboardRoles.Operator, DashboardRoles.Viewer })
        {
            using var other = await app.CreateClientAsAsync(role);
            using var refused = await other.GetAsync("/audit");
            Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
            Assert.Contains("/access-denied", refused.Headers.Location?.ToString(), StringComparison.Ordinal);
        }
    }

    [Theory, BothProviders]
    public async Task OperatorCircuit_AdminActionRefused_NothingChangedNorAudited_CheckNowOnAgentsAndOverviewAuditedUnderTheirName(DatabaseProvider provider)
    {
        using var app = NewApp(provider);
        await app.EnsureUserAsync("on-call", DashboardRoles.Operator);
        await using var circuit = await AppCircuit.OpenAsync(app, "on-call");

        // The page hides Create token from an Operator; a circuit that sends it anyway is refused.
        var agents = circuit.Render<AgentsPage>();
        agents.WaitForState(() => agents.HasComponent<AgentTable>()); // loaded, so a missing button is hidden, not yet to come
        Assert.Empty(agents.FindAll("[data-testid=create-token]"));
        var allowlist = circuit.Render<AllowlistPage>();
        Assert.Empty(allowlist.FindComponents<ImportPanel>());
        var keys = circuit.Render<ApiKeysPage>();
        await keys.WaitForElement("input[data-testid=api-key-name]").ChangeAsync(new() { Value = "sneaky" });
        await keys.Find("button[data-testid=api-key-create]").ClickAsync(new());
        keys.WaitForAssertion(() => Assert.Contains("Only an Admin can do this.", keys.Find("[data-testid=api-keys-message]").TextContent, StringComparison.Ordinal));
        // What an Operator may do is recorded under their name: Check now on the Agents page and on the overview.
        await agents.WaitForElement("button[data-testid=agents-check-now-all]").ClickAsync(new());
        var overview = circuit.Render<Web.Components.Pages.Overview.OverviewPage>();
        overview.WaitForElement("[data-testid=check-now]");
        await overview.Find("button[data-testid=check-now]").ClickAsync(new());

        await using var db = app.CreateDbContext();
        Assert.Empty(await db.ApiKeys.ToListAsync());
        var entries = await db.AuditEntries.AsNoTracking().OrderBy(a => a.Id).Select(a => new { a.User, a.Action, a.Detail }).ToListAsync();
        Assert.Equal([new { User = "on-call", Action = AuditActions.CheckTriggered, Detail = "all online agents" }, new { User = "on-call", Action = AuditActions.CheckTriggered, Detail = "from the overview" }], entries);
    }

    private static AuditEntry AssertEntry(IReadOnlyList<AuditEntry> entries, string user, string action, string detailContains)
    {
        var match = entries.FirstOrDefault(e => e.User == user && e.Action == action && e.Detail.Contains(detailContains, StringComparison.Ordinal));
        Assert.True(match is not null, $"No audit entry '{action}' by {user} with '{detailContains}'. Entries:\n" + string.Join("\n", entries.Select(e => $"{e.User} | {e.Action} | {e.Detail}")));
        return match!;
    }

    private static void AssertNoSecret(IEnumerable<string> texts, IEnumerable<string> secrets)
    {
        foreach (var text in texts)
            foreach (var secret in secrets)
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"A secret ({secret[..4]}…) is in the audit log: {text}");
    }

    private static string NewerMarkdown()
    {
        var markdown = DefaultCatalog.ReadEmbeddedMarkdown().Replace("ms.date: 08/25/2026", "ms.date: 11/01/2026", StringComparison.Ordinal);
        const string header = "|--|--|--|--|--|\n";
        var at = markdown.IndexOf(header, markdown.IndexOf("[Azure Cloud]", StringComparison.Ordinal), StringComparison.Ordinal) + header.Length;
        return markdown.Insert(at, "|Audit test service | 443 | `audit.example.test` | Management machine needs outbound connection. | Added in this test. |\n");
    }
}
