using System.Net;
using System.Text.RegularExpressions;
using ArcBridgeDashboard.Bench.Seed;
using ArcBridgeDashboard.Web.Accounts;
using ArcBridgeDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace ArcBridgeDashboard.Bench.Pages;

/// <summary>
/// Every page needs a signed-in user: a Viewer is put straight into the seeded database (as the end-to-end tests do),
/// then an HttpClient signs in through the real /signin form (antiforgery token included) and keeps the cookie.
/// </summary>
public static partial class BenchSignIn
{
    private const string UserName = "bench-viewer";
    private const string Password = "bench correct horse battery";

    public static async Task SeedUserAsync(string database)
    {
        await using ArcBridgeDbContext db = SchemaBootstrap.IsPostgreSql(database)
            ? new PostgreSqlArcBridgeDbContext(new DbContextOptionsBuilder<PostgreSqlArcBridgeDbContext>().UseNpgsql(database).Options)
            : new ArcBridgeDbContext(new DbContextOptionsBuilder<ArcBridgeDbContext>().UseSqlite(DataExtensions.BuildConnectionString(database)).Options);
        if (!await db.Users.AnyAsync(u => u.NormalizedUserName == UserName.ToUpperInvariant()))
            await AccountSeeder.CreateUserAsync(db, UserName, Password, DashboardRoles.Viewer);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Npgsql.NpgsqlConnection.ClearAllPools();
    }

    /// <summary>A client signed in to <paramref name="baseAddress"/> (its cookies in its own container).</summary>
    public static async Task<HttpClient> SignedInClientAsync(Uri baseAddress)
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), UseCookies = true })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };
        var form = await client.GetStringAsync("/signin");
        var token = TokenPattern().Match(form) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value)
            : throw new InvalidOperationException("no antiforgery token on /signin");
        using var response = await client.PostAsync(AccountEndpoints.SignInPostPath, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["UserName"] = UserName, ["Password"] = Password, ["ReturnUrl"] = "/",
        }));
        if (response.RequestMessage?.RequestUri?.AbsolutePath.StartsWith("/signin", StringComparison.Ordinal) != false)
            throw new InvalidOperationException($"sign-in as {UserName} failed ({(int)response.StatusCode}, at {response.RequestMessage?.RequestUri})");
        return client;
    }

    /// <summary>
    /// Signs a browser context in through the form, as a user does, so that its pages render instead of redirecting to
    /// /signin (the interactive measurements timed out on the sign-in page before this).
    /// </summary>
    public static async Task SignInAsync(Microsoft.Playwright.IBrowserContext context, Uri baseAddress)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(baseAddress, "/signin").ToString());
        await page.Locator("#username").FillAsync(UserName);
        await page.Locator("#password").FillAsync(Password);
        await page.GetByTestId("signin-submit").ClickAsync(new() { Timeout = 60_000 });
        await Microsoft.Playwright.Assertions.Expect(page).Not.ToHaveURLAsync(new Regex("/signin"), new() { Timeout = 60_000 });
        await page.CloseAsync();
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
