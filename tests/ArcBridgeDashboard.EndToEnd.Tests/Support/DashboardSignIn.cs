using System.Text.RegularExpressions;
using ArcBridgeDashboard.Web.Accounts;
using ArcBridgeDashboard.Web.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace ArcBridgeDashboard.EndToEnd.Tests.Support;

/// <summary>
/// Every page needs a signed-in user. A user is put straight into the migrated database file (before or after the
/// process starts: roles come with the migration), then the browser signs in once through the real /signin form.
/// </summary>
public static partial class DashboardSignIn
{
    public const string AdminUserName = "e2e-admin";
    public const string Password = "e2e correct horse battery";

    /// <summary>Adds <paramref name="userName"/> with <paramref name="role"/> unless it exists.</summary>
    public static async Task SeedUserAsync(string databasePath, string userName = AdminUserName, string role = DashboardRoles.Admin)
    {
        await using (var db = TestDatabase.Open(databasePath))
        {
            if (!await db.Users.AnyAsync(u => u.NormalizedUserName == userName.ToUpperInvariant()))
                await AccountSeeder.CreateUserAsync(db, userName, Password, role);
        }
        // The dashboard process opens the file too; no pooled connection of ours may hold it.
        SqliteConnection.ClearAllPools();
    }

    /// <summary>Signs <paramref name="page"/>'s context in through the form and waits for the page it lands on.</summary>
    public static async Task SignInAsync(IPage page, Uri baseAddress, string userName = AdminUserName, string returnPath = "/")
    {
        await page.GotoAsync(new Uri(baseAddress, "/signin?returnUrl=" + Uri.EscapeDataString(returnPath)).ToString());
        await page.Locator("#username").FillAsync(userName);
        await page.Locator("#password").FillAsync(Password);
        // The click waits for the navigation it starts; 30 s (the default) and then 60 s were too short on a machine
        // at load 50 hashing the password. These are bounds on a failure, not waits: a working sign-in returns at once.
        await page.GetByTestId("signin-submit").ClickAsync(new() { Timeout = 120_000 });
        // The address is enough: the caller waits for what it needs on the page it lands on. Not WaitForURLAsync: when the
        // address has already changed it waits for a load state as well, and that wait sometimes never ended although
        // the overview had loaded and its circuit was connected.
        await Assertions.Expect(page).Not.ToHaveURLAsync(SignInPath(), new() { Timeout = 120_000 });
    }

    [GeneratedRegex("/signin")]
    private static partial Regex SignInPath();
}
