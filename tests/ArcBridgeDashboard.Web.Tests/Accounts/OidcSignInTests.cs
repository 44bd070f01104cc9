using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using ArcBridgeDashboard.Web.Accounts;
using ArcBridgeDashboard.Web.Configuration;
using ArcBridgeDashboard.Web.Tests.Support;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ArcBridgeDashboard.Web.Tests.Accounts;

/// <summary>
/// OpenID Connect sign-in end to end over real sockets: the dashboard on Kestrel at 127.0.0.1, a test provider on
/// another port (<see cref="TestOidcProvider"/>), and a browser-like HttpClient (one cookie jar, following redirects
/// across both servers) that presses "Sign in with Test IdP".
/// </summary>
public sealed partial class OidcSignInTests
{
    private const string OperatorsGroup = "5d1e7c0a-1b2c-4d3e-8f40-0000000000aa";
    private const string AdminsGroup = "5d1e7c0a-1b2c-4d3e-8f40-0000000000bb";
    private const string ViewerAppRole = "ArcBridge.Viewer";

    [Theory, BothProviders]
    public async Task MappedGroup_SignsInAsOperator_CanCheckNow_NotAdminPages_ListedAsExternal(DatabaseProvider provider)
    {
        await using var idp = await TestOidcProvider.StartAsync();
        using var dashboard = new KestrelDashboard(idp, provider);
        using var alice = dashboard.Browser();

        // The button's challenge: code flow with PKCE answered by a plain redirect, its cookies SameSite=Lax and not
        // Secure over http (a top-level redirect back carries them, so an http dashboard signs in too).
        using (var raw = new HttpClient(new SocketsHttpHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = dashboard.BaseAddress })
        {
            using var challenge = await raw.PostAsync(OidcSignIn.StartPath, Form(await raw.GetStringAsync(AccountsExtensions.SignInPath), ("ReturnUrl", "/")));
            Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
            var location = challenge.Headers.Location!.ToString();
            Assert.StartsWith(idp.Issuer + "/authorize?", location, StringComparison.Ordinal);
            // No response_mode: for response_type=code the default is query (form_post would say so).
            Assert.DoesNotContain("response_mode", location, StringComparison.Ordinal);
            foreach (var parameter in new[] { "response_type=code", "code_challenge_method=S256", "redirect_uri=" + Uri.EscapeDataString(dashboard.BaseAddress + "signin-oidc") })
                Assert.Contains(parameter, location, StringComparison.Ordinal);
            var flowCookies = challenge.Headers.GetValues("Set-Cookie").Where(c => c.StartsWith(".AspNetCore.Correlation.", StringComparison.Ordinal) || c.StartsWith(".AspNetCore.OpenIdConnect.Nonce.", StringComparison.Ordinal)).ToList();
            Assert.Equal(2, flowCookies.Count);
            Assert.All(flowCookies, c => Assert.Contains("; samesite=lax", c, StringComparison.OrdinalIgnoreCase));
            Assert.All(flowCookies, c => Assert.DoesNotContain("; secure", c, StringComparison.OrdinalIgnoreCase));
        }

        idp.NextUser = new("sub-alice", "alice@contoso.example", [OperatorsGroup, "some-other-group"]);
        var (home, homePage) = await SignInWithProviderAsync(alice, "/");

        Assert.Equal("/", home.AbsolutePath);
        Assert.Contains("data-testid=\"check-now\"", homePage, StringComparison.Ordinal); // an Operator sees Check now
        foreach (var adminPage in new[] { "/users", "/settings", "/audit" })
        {
            using var refused = await alice.GetAsync(adminPage);
            Assert.Equal(AccountsExtensions.AccessDeniedPath, refused.RequestMessage!.RequestUri!.AbsolutePath);
        }
        // Pressing Check now (or any action) asks CircuitAccess inside the circuit: the same answer for this session's user.
        Assert.Null(await dashboard.RefusalForAsync(alice, Policies.CanOperate));
        Assert.Equal("Only an Admin can do this.", await dashboard.RefusalForAsync(alice, Policies.CanAdminister));

        // An Admin (mapped group) sees alice on the Users page, marked with the provider.
        using var admin = dashboard.Browser();
        idp.NextUser = new("sub-root", "root@contoso.example", [AdminsGroup]);
        await SignInWithProviderAsync(admin, "/users");
        var users = await admin.GetStringAsync("/users");
        Assert.Contains("data-testid=\"user-external-alice@contoso.example\"", users, StringComparison.Ordinal);
        Assert.Contains("Test IdP", users, StringComparison.Ordinal);
        var row = (await dashboard.InScopeAsync(sp => sp.GetRequiredService<UserAccounts>().ListAsync())).Single(u => u.UserName == "alice@contoso.example");
        Assert.Equal((DashboardRoles.Operator, "Test IdP"), (row.Role, row.SignsInWith));

        // Same sign-out as a local account.
        using var signedOut = await alice.PostAsync(AccountEndpoints.SignOutPostPath, Form(await alice.GetStringAsync("/")));
        Assert.Equal(AccountsExtensions.SignInPath, signedOut.RequestMessage!.RequestUri!.AbsolutePath);
        using var after = await alice.GetAsync("/");
        Assert.Equal(AccountsExtensions.SignInPath, after.RequestMessage!.RequestUri!.AbsolutePath);

        await using var db = dashboard.CreateDbContext();
        var audit = await db.AuditEntries.Where(a => a.Action == AuditActions.SignedIn).ToListAsync();
        Assert.Contains(audit, a => a.User == "alice@contoso.example" && a.Detail.Contains("with Test IdP as Operator", StringComparison.Ordinal));
        Assert.Equal(2, idp.TokensIssued);
        // The client secret is in no file the dashboard wrote: logs, database (audit log included), keys.
        foreach (var file in Directory.EnumerateFiles(dashboard.Directory, "*", SearchOption.AllDirectories))
            Assert.DoesNotContain(TestOidcProvider.ClientSecret, Encoding.UTF8.GetString(await SharedFile.ReadAllBytesAsync(file)), StringComparison.Ordinal);
    }

    [Theory, BothProviders]
    public async Task UnmappedUser_RefusedWithTheGroupToMap_NoAccountCreated_Audited(DatabaseProvider provider)
    {
        await using var idp = await TestOidcProvider.StartAsync();
        using var dashboard = new KestrelDashboard(idp, provider);
        using var bob = dashboard.Browser();

        idp.NextUser = new("sub-bob", "bob@contoso.example", ["g-unmapped"]);
        var (landed, page) = await SignInWithProviderAsync(bob, "/endpoints");

        Assert.Equal(AccountsExtensions.SignInPath, landed.AbsolutePath);
        Assert.Contains("Your account has no ArcBridge role; ask an Admin to map group g-unmapped", page, StringComparison.Ordinal);
        using var stillOut = await bob.GetAsync("/");
        Assert.Equal(AccountsExtensions.SignInPath, stillOut.RequestMessage!.RequestUri!.AbsolutePath);
        await using var db = dashboard.CreateDbContext();
        Assert.Empty(await db.Users.ToListAsync());
        Assert.Empty(await db.UserLogins.ToListAsync());
        var refused = Assert.Single(await db.AuditEntries.Where(a => a.Action == AuditActions.SignInFailed).ToListAsync());
        Assert.Equal("bob@contoso.example", refused.User);
        Assert.Contains("no ArcBridge role for g-unmapped", refused.Detail, StringComparison.Ordinal);
    }

    [Theory, BothProviders]
    public async Task RoleChangedAtProvider_AppliedAtNextSignIn_HighestWins_RemovedGroupLosesTheRole(DatabaseProvider provider)
    {
        await using var idp = await TestOidcProvider.StartAsync();
        using var dashboard = new KestrelDashboard(idp, provider);
        async Task<string> RoleAfterSignInAsync(string[] groups, string[]? roles = null)
        {
            using var browser = dashboard.Browser();
            idp.NextUser = new("sub-carol", "carol@contoso.example", groups, roles);
            await SignInWithProviderAsync(browser, "/");
            using var users = await browser.GetAsync("/users");
            var role = (await dashboard.InScopeAsync(sp => sp.GetRequiredService<UserAccounts>().ListAsync())).Single().Role;
            // What the user notices matches the stored role: only an Admin opens /users.
            Assert.Equal(role == DashboardRoles.Admin ? "/users" : AccountsExtensions.AccessDeniedPath, users.RequestMessage!.RequestUri!.AbsolutePath);
            return role;
        }

        Assert.Equal(DashboardRoles.Operator, await RoleAfterSignInAsync([OperatorsGroup]));
        Assert.Equal(DashboardRoles.Viewer, await RoleAfterSignInAsync([], [ViewerAppRole]));
        Assert.Equal(DashboardRoles.Admin, await RoleAfterSignInAsync([OperatorsGroup, AdminsGroup], [ViewerAppRole]));
        Assert.Equal(DashboardRoles.Operator, await RoleAfterSignInAsync([OperatorsGroup]));

        // Out of every mapped group: refused, and the stored role is gone (open sessions end at their next stamp check).
        using var last = dashboard.Browser();
        idp.NextUser = new("sub-carol", "carol@contoso.example", ["g-unmapped"]);
        var (landed, _) = await SignInWithProviderAsync(last, "/");
        Assert.Equal(AccountsExtensions.SignInPath, landed.AbsolutePath);
        var carol = Assert.Single(await dashboard.InScopeAsync(sp => sp.GetRequiredService<UserAccounts>().ListAsync()));
        Assert.Equal(("", "Test IdP"), (carol.Role, carol.SignsInWith));
        await using var db = dashboard.CreateDbContext();
        Assert.Single(await db.UserLogins.ToListAsync()); // one account all along, keyed on the provider's subject
    }

    [Theory, BothProviders]
    public async Task ProviderSaysNo_OrUserDisabled_BackToSignInWithMessage_Audited(DatabaseProvider provider)
    {
        await using var idp = await TestOidcProvider.StartAsync();
        using var dashboard = new KestrelDashboard(idp, provider);
        idp.NextUser = new("sub-dave", "dave@contoso.example", [OperatorsGroup]);
        using (var first = dashboard.Browser())
            await SignInWithProviderAsync(first, "/");
        var dave = (await dashboard.InScopeAsync(sp => sp.GetRequiredService<UserAccounts>().ListAsync())).Single();

        idp.DenyNext = true;
        using var denied = dashboard.Browser();
        var (landed, page) = await SignInWithProviderAsync(denied, "/");
        Assert.Equal(AccountsExtensions.SignInPath, landed.AbsolutePath);
        Assert.Contains("Sign-in with Test IdP did not complete.", page, StringComparison.Ordinal);

        Assert.Null(await dashboard.InScopeAsync(sp => sp.GetRequiredService<UserAccounts>().SetDisabledAsync(dave.Id, true)));
        using var disabled = dashboard.Browser();
        (landed, page) = await SignInWithProviderAsync(disabled, "/");
        Assert.Equal(AccountsExtensions.SignInPath, landed.AbsolutePath);
        Assert.Contains("This account is disabled. Ask an Admin.", page, StringComparison.Ordinal);
        using var stillOut = await disabled.GetAsync("/");
        Assert.Equal(AccountsExtensions.SignInPath, stillOut.RequestMessage!.RequestUri!.AbsolutePath);

        await using var db = dashboard.CreateDbContext();
        var failed = await db.AuditEntries.Where(a => a.Action == AuditActions.SignInFailed).OrderBy(a => a.Id).ToListAsync();
        Assert.Equal(2, failed.Count);
        Assert.StartsWith("Test IdP: ", failed[0].Detail, StringComparison.Ordinal);
        Assert.Equal(("dave@contoso.example", "Test IdP: account disabled"), (failed[1].User, failed[1].Detail));
    }

    [Theory]
    [InlineData("Authority", "http://idp.contoso.example/v2.0", "ArcBridge:Auth:Oidc:Authority must use https")]
    [InlineData("ClientId", "", "ArcBridge:Auth:Oidc:ClientId is required")]
    [InlineData("RoleMap:group-a", "Superuser", "ArcBridge:Auth:Oidc:RoleMap:group-a is 'Superuser', not a role: use Admin, Operator or Viewer.")]
    public void Startup_BadOidcOption_FailsWithMessageNamingIt(string key, string value, string message)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ArcBridge:BuiltInAgentEnabled"] = "false",
            ["ArcBridge:Auth:Oidc:Enabled"] = "true",
            ["ArcBridge:Auth:Oidc:Authority"] = "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000001/v2.0",
            ["ArcBridge:Auth:Oidc:ClientId"] = TestOidcProvider.ClientId,
            ["ArcBridge:Auth:Oidc:RoleMap:group-b"] = "Viewer",
            [$"ArcBridge:Auth:Oidc:{key}"] = value,
        };
        using var app = new ArcBridgeAppFactory(settings);

        var error = Assert.Throws<OptionsValidationException>(() => app.CreateClient());

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// GET /signin (it must offer the provider), press "Sign in with Test IdP" and follow every redirect: provider,
    /// /signin-oidc, the dashboard's callback, then the page asked for (or /signin with a message). The last URL and page.
    /// </summary>
    private static async Task<(Uri Landed, string Page)> SignInWithProviderAsync(HttpClient browser, string returnUrl)
    {
        var signIn = await browser.GetStringAsync($"{AccountsExtensions.SignInPath}?returnUrl={Uri.EscapeDataString(returnUrl)}");
        Assert.Contains("Sign in with Test IdP", signIn, StringComparison.Ordinal);
        using var response = await browser.PostAsync(OidcSignIn.StartPath, Form(signIn, ("ReturnUrl", returnUrl)));
        var page = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} at {response.RequestMessage?.RequestUri}: {page[..Math.Min(page.Length, 500)]}");
        return (response.RequestMessage!.RequestUri!, WebUtility.HtmlDecode(page));
    }

    private static FormUrlEncodedContent Form(string page, params (string Name, string Value)[] fields)
    {
        var token = WebUtility.HtmlDecode(AntiforgeryPattern().Match(page).Groups[1].Value);
        return new FormUrlEncodedContent([new("__RequestVerificationToken", token), .. fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))]);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryPattern();

    /// <summary>
    /// The dashboard on Kestrel at 127.0.0.1 (a browser must reach it and the provider over real sockets), signing in
    /// with <paramref name="idp"/>, on the real clock (the provider's cookies and tokens carry real times).
    /// </summary>
    private sealed class KestrelDashboard : ArcBridgeAppFactory
    {
        public KestrelDashboard(TestOidcProvider idp, DatabaseProvider provider)
            : base(new Dictionary<string, string?>
            {
                ["ArcBridge:BuiltInAgentEnabled"] = "false",
                ["ArcBridge:Auth:Oidc:Enabled"] = "true",
                ["ArcBridge:Auth:Oidc:DisplayName"] = "Test IdP",
                ["ArcBridge:Auth:Oidc:Authority"] = idp.Issuer,
                ["ArcBridge:Auth:Oidc:ClientId"] = TestOidcProvider.ClientId,
                ["ArcBridge:Auth:Oidc:ClientSecret"] = TestOidcProvider.ClientSecret,
                [$"ArcBridge:Auth:Oidc:RoleMap:{OperatorsGroup}"] = "Operator",
                [$"ArcBridge:Auth:Oidc:RoleMap:{AdminsGroup}"] = "admin", // any case
                [$"ArcBridge:Auth:Oidc:RoleMap:{ViewerAppRole}"] = "Viewer",
            }, provider: provider)
        {
            UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
            StartServer();
            BaseAddress = new Uri(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        }

        public Uri BaseAddress { get; }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton(TimeProvider.System));
        }

        public Browser Browser() => new(new CookieContainer()) { BaseAddress = BaseAddress };

        /// <summary>What <see cref="CircuitAccess"/> answers for the user of <paramref name="browser"/>'s sign-in cookie.</summary>
        public async Task<string?> RefusalForAsync(Browser browser, string policy)
        {
            var cookie = browser.Jar.GetCookies(BaseAddress)[AccountsExtensions.CookieName]!.Value;
            var ticket = Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme).TicketDataFormat.Unprotect(cookie)!;
            return await InScopeAsync(sp =>
            {
                ((IHostEnvironmentAuthenticationStateProvider)sp.GetRequiredService<AuthenticationStateProvider>())
                    .SetAuthenticationState(Task.FromResult(new AuthenticationState(ticket.Principal)));
                return sp.GetRequiredService<CircuitAccess>().RefusalAsync(policy);
            });
        }
    }

    /// <summary>A browser: its own cookie jar, following redirects wherever they lead (127.0.0.1 only here).</summary>
    private sealed class Browser(CookieContainer jar)
        : HttpClient(new SocketsHttpHandler { CookieContainer = jar, AllowAutoRedirect = true, MaxAutomaticRedirections = 10 })
    {
        public CookieContainer Jar => jar;
    }
}
