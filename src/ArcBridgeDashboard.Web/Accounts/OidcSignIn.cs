using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace ArcBridgeDashboard.Web.Accounts;

/// <summary>
/// Sign-in with an OpenID Connect provider through Identity's external-login flow: the provider's answer lands in
/// Identity's external cookie, <see cref="DonePath"/> maps its group/role claims to one dashboard role, keeps a user
/// linked to the provider's subject (AspNetUserLogins) and signs them in with the ordinary sign-in cookie.
/// </summary>
public static class OidcSignIn
{
    public const string Scheme = "oidc";
    public const string StartPath = "/account/oidc";
    public const string DonePath = "/account/oidc/done";
    public const string RedirectPath = "/signin-oidc";

    public sealed class StartForm
    {
        public string? ReturnUrl { get; set; }
    }

    public static bool IsEnabled(IConfiguration configuration) => configuration.GetValue<bool>($"{OidcOptions.SectionName}:{nameof(OidcOptions.Enabled)}");

    public static void AddArcBridgeOidc(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IValidateOptions<OidcOptions>, OidcOptionsValidator>();
        builder.Services.AddOptions<OidcOptions>().BindConfiguration(OidcOptions.SectionName).ValidateOnStart();
        if (!IsEnabled(builder.Configuration))
            return;
        builder.Services.AddAuthentication().AddOpenIdConnect(Scheme, _ => { });
        builder.Services.AddOptions<OpenIdConnectOptions>(Scheme).Configure<IOptions<OidcOptions>>((o, settings) =>
        {
            var s = settings.Value;
            o.SignInScheme = IdentityConstants.ExternalScheme;
            o.Authority = s.Authority;
            o.RequireHttpsMetadata = !OidcOptions.IsLoopback(new Uri(s.Authority!));
            o.ClientId = s.ClientId;
            o.ClientSecret = string.IsNullOrEmpty(s.ClientSecret) ? null : s.ClientSecret;
            o.CallbackPath = RedirectPath;
            // Authorization code with PKCE, answered by a plain redirect (query): a top-level GET carries SameSite=Lax
            // cookies, so the correlation and nonce cookies work on http dashboards too (form_post would need SameSite=None; Secure).
            o.ResponseType = OpenIdConnectResponseType.Code;
            o.ResponseMode = OpenIdConnectResponseMode.Query;
            o.UsePkce = true;
            o.CorrelationCookie.SameSite = SameSiteMode.Lax;
            o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.NonceCookie.SameSite = SameSiteMode.Lax;
            o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.Scope.Clear();
            foreach (var scope in s.EffectiveScopes.Prepend("openid").Distinct(StringComparer.Ordinal))
                o.Scope.Add(scope);
            // Claim types stay as the token names them ("groups", "roles", "sub"), which is what RoleClaimTypes lists.
            o.MapInboundClaims = false;
            o.GetClaimsFromUserInfoEndpoint = false;
            o.SaveTokens = false;
            o.DisableTelemetry = true;
            o.Events.OnTokenValidated = context =>
            {
                // Identity keys the external login on NameIdentifier: the provider's stable subject.
                if (context.Principal?.Identity is ClaimsIdentity identity && identity.FindFirst(ClaimTypes.NameIdentifier) is null
                    && identity.FindFirst("sub")?.Value is { } sub)
                    identity.AddClaim(new Claim(ClaimTypes.NameIdentifier, sub));
                return Task.CompletedTask;
            };
            o.Events.OnRemoteFailure = async context =>
            {
                // The provider said no (access_denied), or its answer did not validate: back to the sign-in page, in the audit log.
                var audit = context.HttpContext.RequestServices.GetRequiredService<AuditLog>();
                await audit.WriteAsync("(unknown)", AuditActions.SignInFailed, $"{s.DisplayName}: {context.Failure?.Message}",
                    context.HttpContext.Connection.RemoteIpAddress?.ToString());
                context.Response.Redirect($"{AccountsExtensions.SignInPath}?error=oidc");
                context.HandleResponse();
            };
        });
    }

    public static IEndpointRouteBuilder MapArcBridgeOidc(this IEndpointRouteBuilder app)
    {
        if (!IsEnabled(app.ServiceProvider.GetRequiredService<IConfiguration>()))
            return app;
        app.MapPost(StartPath, Start).AllowAnonymous().RequireRateLimiting(AccountsExtensions.SignInRateLimit).ExcludeFromDescription();
        app.MapGet(DonePath, DoneAsync).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static IResult Start([FromForm] StartForm form, SignInManager<DashboardUser> signIn)
    {
        var done = $"{DonePath}?returnUrl={Uri.EscapeDataString(AccountEndpoints.LocalOrRoot(form.ReturnUrl))}";
        return Results.Challenge(signIn.ConfigureExternalAuthenticationProperties(Scheme, done), [Scheme]);
    }

    private static async Task<IResult> DoneAsync(
        string? returnUrl, HttpContext http, SignInManager<DashboardUser> signIn, IOptions<OidcOptions> settings, AuditLog audit, TimeProvider time)
    {
        var options = settings.Value;
        var address = http.Connection.RemoteIpAddress?.ToString();
        var info = await signIn.GetExternalLoginInfoAsync();
        if (info is null)
            return Results.Redirect($"{AccountsExtensions.SignInPath}?error=oidc");
        await http.SignOutAsync(IdentityConstants.ExternalScheme); // the provider's answer is used once
        var users = signIn.UserManager;
        var user = await users.FindByLoginAsync(info.LoginProvider, info.ProviderKey);
        var name = user?.UserName ?? NameFrom(info.Principal);
        var role = options.RoleFor(info.Principal.Claims, out var seen);
        var claims = seen.Count == 0 ? $"no {string.Join(" or ", options.EffectiveRoleClaimTypes)} claim" : string.Join(", ", seen);
        if (role is null)
        {
            // Roles follow the provider at every sign-in: a user whose groups no longer map loses the role (open sessions too).
            if (user is not null && await users.GetRolesAsync(user) is { Count: > 0 } held)
            {
                await users.RemoveFromRolesAsync(user, held);
                await users.UpdateSecurityStampAsync(user);
            }
            await audit.WriteAsync(name, AuditActions.SignInFailed, $"{options.DisplayName}: no ArcBridge role for {claims}", address);
            var shown = string.Join(", ", seen.Take(10));
            return Results.Redirect($"{AccountsExtensions.SignInPath}?error=norole&claims={Uri.EscapeDataString(shown)}");
        }
        if (user is null)
        {
            user = new DashboardUser { UserName = await FreeNameAsync(users, name), CreatedAt = time.GetUtcNow(), LockoutEnabled = true };
            var created = await users.CreateAsync(user);
            if (created.Succeeded)
            {
                created = await users.AddLoginAsync(user, new UserLoginInfo(info.LoginProvider, info.ProviderKey, options.DisplayName));
                if (!created.Succeeded)
                    await users.DeleteAsync(user); // e.g. a second tab's sign-in linked the subject first: no half-made account
            }
            if (!created.Succeeded)
            {
                await audit.WriteAsync(name, AuditActions.SignInFailed, $"{options.DisplayName}: account not created: {string.Join(" ", created.Errors.Select(e => e.Description))}", address);
                return Results.Redirect($"{AccountsExtensions.SignInPath}?error=oidc");
            }
            await audit.WriteAsync(user.UserName!, AuditActions.UserAdded, $"{user.UserName} as {role}, signed in with {options.DisplayName}", address);
        }
        else if (user.IsDisabled(time.GetUtcNow()))
        {
            await audit.WriteAsync(user.UserName!, AuditActions.SignInFailed, $"{options.DisplayName}: account disabled", address);
            return Results.Redirect($"{AccountsExtensions.SignInPath}?error=disabled");
        }
        var current = await users.GetRolesAsync(user);
        if (current.Count != 1 || current[0] != role)
        {
            await users.RemoveFromRolesAsync(user, current);
            await users.AddToRoleAsync(user, role);
            await users.UpdateSecurityStampAsync(user); // other open sessions pick up the new role
        }
        await signIn.SignInAsync(user, isPersistent: false, authenticationMethod: info.LoginProvider);
        await audit.WriteAsync(user.UserName!, AuditActions.SignedIn, $"with {options.DisplayName} as {role} ({claims})", address);
        return Results.LocalRedirect(AccountEndpoints.LocalOrRoot(returnUrl));
    }

    /// <summary>A user name from the provider's claims, in the characters Identity allows.</summary>
    private static string NameFrom(ClaimsPrincipal principal)
    {
        var raw = new[] { "preferred_username", "email", "upn", "name", "sub", ClaimTypes.NameIdentifier }
            .Select(principal.FindFirstValue).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v)) ?? "oidc-user";
        var clean = new string(raw.Where(c => char.IsAsciiLetterOrDigit(c) || "-._@+".Contains(c)).Take(200).ToArray());
        return clean.Length > 0 ? clean : "oidc-user";
    }

    /// <summary>The name itself, or with -2, -3… when a (local) account already has it: never links to someone else's account.</summary>
    private static async Task<string> FreeNameAsync(UserManager<DashboardUser> users, string name)
    {
        for (var i = 1; i <= 20; i++)
        {
            var candidate = i == 1 ? name : $"{name}-{i}";
            if (await users.FindByNameAsync(candidate) is null)
                return candidate;
        }
        return $"{name}-{Guid.NewGuid():N}"[..Math.Min(name.Length + 33, 256)];
    }
}
