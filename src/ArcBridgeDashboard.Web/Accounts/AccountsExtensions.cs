using System.Globalization;
using System.Threading.RateLimiting;
using ArcBridgeDashboard.Web.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace ArcBridgeDashboard.Web.Accounts;

public static class AccountsExtensions
{
    public const string CookieName = "ArcBridge.Auth";
    public const string SignInPath = "/signin";
    public const string AccessDeniedPath = "/access-denied";
    public const string SignInRateLimit = "sign-in";

    /// <summary>The default scheme: an API key when the request carries one, else the sign-in cookie.</summary>
    public const string DefaultScheme = "ArcBridge";

    /// <summary>Local accounts (Identity on the app's database), OpenID Connect sign-in, roles and policies, API keys, audit log and the sign-in rate limit.</summary>
    public static IHostApplicationBuilder AddArcBridgeAccounts(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddAuthentication(options =>
            {
                options.DefaultScheme = DefaultScheme;
                options.DefaultChallengeScheme = DefaultScheme;
                options.DefaultForbidScheme = DefaultScheme;
                options.DefaultSignInScheme = IdentityConstants.ApplicationScheme;
            })
            .AddPolicyScheme(DefaultScheme, "Sign-in cookie or API key", options =>
                options.ForwardDefaultSelector = http => ApiKeyAuthenticationHandler.KeyFrom(http.Request) is null
                    ? IdentityConstants.ApplicationScheme
                    : ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddIdentityCookies();
        services.AddIdentityCore<DashboardUser>(options =>
            {
                // Length over composition rules (NIST 800-63B): a long passphrase beats "Passw0rd!".
                options.Password.RequiredLength = 12;
                options.Password.RequireDigit = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;
                options.User.RequireUniqueEmail = false;
                options.SignIn.RequireConfirmedAccount = false;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<ArcBridgeDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders();
        // Open cookies are checked against the user's stamp every minute: disabling a user or changing a role takes effect fast.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));
        services.AddOptions<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .Configure<IOptions<AuthOptions>>((options, auth) =>
            {
                options.Cookie.Name = CookieName;
                options.Cookie.HttpOnly = true;
                // Lax, not Strict: a link to a page from mail or chat still arrives signed in; forms carry antiforgery tokens.
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.ExpireTimeSpan = auth.Value.SessionLifetime;
                options.SlidingExpiration = true;
                options.LoginPath = SignInPath;
                options.AccessDeniedPath = AccessDeniedPath;
                options.ReturnUrlParameter = "returnUrl";
                // Programs (REST clients, scrapers) get a status code, people a page.
                options.Events.OnRedirectToLogin = context => RedirectOrStatus(context, StatusCodes.Status401Unauthorized);
                options.Events.OnRedirectToAccessDenied = context => RedirectOrStatus(context, StatusCodes.Status403Forbidden);
            });
        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.CanRead, p => p.RequireRole(DashboardRoles.All))
            .AddPolicy(Policies.CanOperate, p => p.RequireRole(DashboardRoles.Admin, DashboardRoles.Operator))
            .AddPolicy(Policies.CanAdminister, p => p.RequireRole(DashboardRoles.Admin))
            // Anything that does not say otherwise needs a signed-in user (or API key).
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, RevalidatingAuthenticationState>();
        services.AddScoped<CircuitAccess>();
        services.AddScoped<UserAccounts>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<ApiKeyService>();
        services.AddSingleton<SetupLink>();
        services.AddHostedService<SetupLinkIssuer>();
        // The 429 itself (status, Retry-After, the sentence) is written by Hardening/RateLimits for every policy.
        services.AddRateLimiter(options =>
        {
            options.AddPolicy(SignInRateLimit, http =>
            {
                var auth = http.RequestServices.GetRequiredService<IOptions<AuthOptions>>().Value;
                return RateLimitPartition.GetFixedWindowLimiter(http.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = auth.SignInPermitLimit,
                    Window = auth.SignInWindow,
                    QueueLimit = 0,
                });
            });
        });
        builder.AddArcBridgeOidc();
        return builder;
    }

    private static Task RedirectOrStatus(RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int status)
    {
        if (IsProgrammatic(context.Request))
        {
            // A bare status for programs: the not-found page must not re-execute it into a sign-in redirect.
            if (context.HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>() is { } pages)
                pages.Enabled = false;
            context.Response.StatusCode = status;
        }
        else
            context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    /// <summary>REST, OpenAPI document and metrics: answered with 401/403, never a sign-in redirect.</summary>
    public static bool IsProgrammatic(HttpRequest request)
        => request.Path.StartsWithSegments(Api.ApiEndpoints.Prefix) && !request.Path.StartsWithSegments(Api.ApiExtensions.ApiDocsPath)
           || request.Path.StartsWithSegments("/openapi")
           || request.Path.StartsWithSegments(Api.ApiExtensions.MetricsPath);

    /// <summary>Authentication, authorization and the rate limiter, in that order (after routing, before antiforgery).</summary>
    public static WebApplication UseArcBridgeAccounts(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        return app;
    }
}
