using ArcBridgeDashboard.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace ArcBridgeDashboard.Web.Accounts;

/// <summary>The sign-in, setup and sign-out form posts. The forms are static pages (/signin, /setup); these take their posts.</summary>
public static partial class AccountEndpoints
{
    public const string SignInPostPath = "/account/signin";
    public const string SetupPostPath = "/account/setup";
    public const string SignOutPostPath = "/account/signout";
    private static readonly SemaphoreSlim SetupGate = new(1, 1);

    public sealed class SignInForm
    {
        public string? UserName { get; set; }
        public string? Password { get; set; }
        public string? ReturnUrl { get; set; }
    }

    public sealed class SetupForm
    {
        public string? Token { get; set; }
        public string? UserName { get; set; }
        public string? Password { get; set; }
        public string? ConfirmPassword { get; set; }
    }

    public static IEndpointRouteBuilder MapArcBridgeAccounts(this IEndpointRouteBuilder app)
    {
        // Both posts are limited per address: they are where passwords and setup tokens are guessed.
        app.MapPost(SignInPostPath, SignInAsync).AllowAnonymous().RequireRateLimiting(AccountsExtensions.SignInRateLimit).ExcludeFromDescription();
        app.MapPost(SetupPostPath, SetupAsync).AllowAnonymous().RequireRateLimiting(AccountsExtensions.SignInRateLimit).ExcludeFromDescription();
        app.MapPost(SignOutPostPath, SignOutAsync).ExcludeFromDescription();
        app.MapArcBridgeOidc();
        return app;
    }

    private static async Task<IResult> SignInAsync(
        [FromForm] SignInForm form, HttpContext http, SignInManager<DashboardUser> signIn, AuditLog audit, ILoggerFactory loggers)
    {
        var returnUrl = LocalOrRoot(form.ReturnUrl);
        var userName = (form.UserName ?? "").Trim();
        var address = http.Connection.RemoteIpAddress?.ToString();
        if (userName.Length == 0 || string.IsNullOrEmpty(form.Password))
            return Results.Redirect(SignInUrl("missing", returnUrl));
        var result = await signIn.PasswordSignInAsync(userName, form.Password, isPersistent: false, lockoutOnFailure: false);
        if (result.Succeeded)
        {
            await audit.WriteAsync(userName, AuditActions.SignedIn, "", address);
            return Results.LocalRedirect(returnUrl);
        }
        // Same answer for an unknown user and a wrong password; the audit log keeps the difference out too.
        var reason = result.IsLockedOut ? "disabled" : "invalid";
        await audit.WriteAsync(userName, AuditActions.SignInFailed, result.IsLockedOut ? "account disabled" : "wrong user name or password", address);
        LogSignInFailed(loggers.CreateLogger(typeof(AccountEndpoints).FullName!), userName, address);
        return Results.Redirect(SignInUrl(reason, returnUrl));
    }

    private static async Task<IResult> SetupAsync(
        [FromForm] SetupForm form, HttpContext http, SetupLink link, UserAccounts accounts, ArcBridgeDbContext db,
        SignInManager<DashboardUser> signIn, AuditLog audit)
    {
        var token = form.Token ?? "";
        if (!link.Matches(token))
            return Results.Redirect($"{SetupLink.Path}?error=link");
        var userName = (form.UserName ?? "").Trim();
        if (form.Password != form.ConfirmPassword)
            return Results.Redirect(SetupUrl(token, "The two passwords differ."));
        if (userName.Length == 0)
            return Results.Redirect(SetupUrl(token, "Enter a user name."));
        await SetupGate.WaitAsync();
        try
        {
            // The link only ever creates the first user: once one exists it is dead, whatever its token.
            if (await db.Users.AnyAsync())
            {
                link.TryConsume(token);
                return Results.Redirect($"{SetupLink.Path}?error=link");
            }
            var error = await accounts.AddAsync(userName, form.Password ?? "", DashboardRoles.Admin);
            if (error is not null)
                return Results.Redirect(SetupUrl(token, error));
            link.TryConsume(token);
        }
        finally
        {
            SetupGate.Release();
        }
        await audit.WriteAsync(userName, AuditActions.SetupCompleted, "first Admin created with the setup link", http.Connection.RemoteIpAddress?.ToString());
        var user = await signIn.UserManager.FindByNameAsync(userName);
        await signIn.SignInAsync(user!, isPersistent: false);
        return Results.LocalRedirect("/");
    }

    private static async Task<IResult> SignOutAsync(HttpContext http, SignInManager<DashboardUser> signIn, AuditLog audit)
    {
        var name = http.User.Identity?.Name;
        await signIn.SignOutAsync();
        if (name is not null)
            await audit.WriteAsync(name, AuditActions.SignedOut, "", http.Connection.RemoteIpAddress?.ToString());
        return Results.Redirect(AccountsExtensions.SignInPath);
    }

    private static string SignInUrl(string error, string returnUrl)
        => $"{AccountsExtensions.SignInPath}?error={error}&returnUrl={Uri.EscapeDataString(returnUrl)}";

    private static string SetupUrl(string token, string message)
        => $"{SetupLink.Path}?token={Uri.EscapeDataString(token)}&message={Uri.EscapeDataString(message)}";

    /// <summary>Only a path on this site: "//host" and "/\host" are other sites to a browser.</summary>
    public static string LocalOrRoot(string? url)
        => !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) ? url : "/";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in failed for {UserName} from {Address}")]
    private static partial void LogSignInFailed(ILogger logger, string userName, string? address);
}
