using System.Net;
using System.Text.RegularExpressions;
using ArcBridgeDashboard.Web.Accounts;
using ArcBridgeDashboard.Web.Configuration;
using ArcBridgeDashboard.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ArcBridgeDashboard.Web.Tests.Accounts;

/// <summary>First-start setup link, sign-in cookie, failed sign-ins in the audit log, disabled users and the rate limit.</summary>
public sealed partial class SignInTests
{
    [Theory, BothProviders]
    public async Task FirstStart_SetupLinkInLog_CreatesAdminOnce_ThenIsDead(DatabaseProvider provider)
    {
        using var app = new ArcBridgeAppFactory(new Dictionary<string, string?> { ["ArcBridge:BuiltInAgentEnabled"] = "false" }, provider: provider);
        using var client = app.CreateAnonymousClient();
        var token = (await Eventually.UntilAsync(() => Task.FromResult(SetupToken(app)), t => t is not null, "the setup link in the log"))!;

        using var cookies = new HttpClient(new Microsoft.AspNetCore.Mvc.Testing.Handlers.CookieContainerHandler { InnerHandler = app.Server.CreateHandler() }) { BaseAddress = app.Server.BaseAddress };
        var form = await cookies.GetStringAsync($"/setup?token={token}");
        Assert.Contains("Create the first Admin", form, StringComparison.Ordinal);
        using var created = await cookies.PostAsync(AccountEndpoints.SetupPostPath, Form(form, ("Token", token), ("UserName", "first-admin"),
            ("Password", "a long enough passphrase"), ("ConfirmPassword", "a long enough passphrase")));
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Equal("/", created.Headers.Location?.ToString());
        var cookie = created.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("ArcBridge.Auth=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, (await cookies.GetAsync("/users")).StatusCode);

        // Used up: the page says so and a second post creates nobody.
        Assert.Contains("used up, expired or wrong", await client.GetStringAsync($"/setup?token={token}"), StringComparison.Ordinal);
        // A signed-out browser with a valid antiforgery token (the sign-in page's) trying the link again.
        using var other = new HttpClient(new Microsoft.AspNetCore.Mvc.Testing.Handlers.CookieContainerHandler { InnerHandler = app.Server.CreateHandler() }) { BaseAddress = app.Server.BaseAddress };
        var signInPage = await other.GetStringAsync("/signin");
        using var again = await other.PostAsync(AccountEndpoints.SetupPostPath, Form(signInPage, ("Token", token), ("UserName", "second-admin"),
            ("Password", "a long enough passphrase"), ("ConfirmPassword", "a long enough passphrase")));
        Assert.Contains("error=link", again.Headers.Location?.ToString(), StringComparison.Ordinal);
        await using var db = app.CreateDbContext();
        Assert.Equal(["first-admin"], await db.Users.Select(u => u.UserName!).ToListAsync());
        Assert.Contains(await db.AuditEntries.ToListAsync(), a => a.Action == AuditActions.SetupCompleted && a.User == "first-admin");
    }

    [Theory, BothProviders]
    public async Task WrongPassword_RedirectsWithMessage_AuditedWithoutThePassword_DisabledUserRefused(DatabaseProvider provider)
    {
        using var app = new ArcBridgeAppFactory(new Dictionary<string, string?> { ["ArcBridge:BuiltInAgentEnabled"] = "false" }, provider: provider);
        app.CreateClient().Dispose(); // seeds the Admin
        using var wrong = await app.PostSignInAsync(ArcBridgeAppFactory.AdminUserName, "not the password at all");
        Assert.Equal(HttpStatusCode.Redirect, wrong.StatusCode);
        Assert.Contains("error=invalid", wrong.Headers.Location?.ToString(), StringComparison.Ordinal);
        using var anonymous = app.CreateAnonymousClient();
        Assert.Contains("Wrong user name or password.", await anonymous.GetStringAsync(wrong.Headers.Location!.ToString()), StringComparison.Ordinal);

        await app.EnsureUserAsync("soon-disabled", DashboardRoles.Operator);
        var id = (await app.InScopeAsync(async sp => (await sp.GetRequiredService<UserAccounts>().ListAsync()).Single(u => u.UserName == "soon-disabled"))).Id;
        Assert.Null(await app.InScopeAsync(sp => sp.GetRequiredService<UserAccounts>().SetDisabledAsync(id, true)));
        using var disabled = await app.PostSignInAsync("soon-disabled", ArcBridgeAppFactory.TestPassword);
        Assert.Contains("error=disabled", disabled.Headers.Location?.ToString(), StringComparison.Ordinal);

        await using var db = app.CreateDbContext();
        var failed = await db.AuditEntries.Where(a => a.Action == AuditActions.SignInFailed).ToListAsync();
        Assert.Contains(failed, a => a.User == ArcBridgeAppFactory.AdminUserName);
        Assert.DoesNotContain(failed, a => a.Detail.Contains("not the password", StringComparison.Ordinal));
        Assert.Contains(await db.AuditEntries.ToListAsync(), a => a.Action == AuditActions.SignedIn && a.User == ArcBridgeAppFactory.AdminUserName);
    }

    [Fact] // SQLite only: the limit is kept in memory; the database only holds the account it signs in to
    public async Task BruteForce_MoreThanPermitLimitInWindow_Gets429WithRetryAfter_EvenForTheRightPassword()
    {
        using var app = new ArcBridgeAppFactory(new Dictionary<string, string?>
        {
            ["ArcBridge:BuiltInAgentEnabled"] = "false",
            ["ArcBridge:Auth:SignInPermitLimit"] = "5",
            ["ArcBridge:Auth:SignInWindow"] = "00:10:00",
        });
        await app.AdminCookieAsync(); // one permitted attempt used: the seeded Admin's sign-in
        var answers = new List<HttpStatusCode>();
        for (var attempt = 0; attempt < 20; attempt++)
        {
            using var response = await app.PostSignInAsync(ArcBridgeAppFactory.AdminUserName, $"guess {attempt}");
            answers.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                var retryAfter = int.Parse(response.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
                Assert.InRange(retryAfter, 1, 600);
                Assert.Contains("Too many sign-in attempts", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
                break;
            }
        }
        Assert.Equal(4, answers.Count(s => s == HttpStatusCode.Redirect));
        Assert.Equal(HttpStatusCode.TooManyRequests, answers[^1]);
        using var right = await app.PostSignInAsync(ArcBridgeAppFactory.AdminUserName, ArcBridgeAppFactory.TestPassword);
        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
    }

    private static string? SetupToken(ArcBridgeAppFactory app)
    {
        foreach (var file in Directory.EnumerateFiles(Path.Combine(app.Directory, "logs")))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var match = SetupLinkPattern().Match(new StreamReader(stream).ReadToEnd());
            if (match.Success)
                return match.Groups[1].Value;
        }
        return null;
    }

    private static FormUrlEncodedContent Form(string page, params (string Name, string Value)[] fields)
    {
        var token = WebUtility.HtmlDecode(AntiforgeryPattern().Match(page).Groups[1].Value);
        return new FormUrlEncodedContent([new("__RequestVerificationToken", token), .. fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))]);
    }

    [GeneratedRegex("/setup\\?token=([0-9a-f]{64})")]
    private static partial Regex SetupLinkPattern();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryPattern();
}
