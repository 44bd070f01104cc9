using Microsoft.AspNetCore.Http;

namespace ArcBridgeDashboard.Web.Hardening;

public static class HardeningExtensions
{
    /// <summary>Trusted proxies, rate limits, HSTS and the antiforgery cookie's flags.</summary>
    public static IHostApplicationBuilder AddArcBridgeHardening(this IHostApplicationBuilder builder)
    {
        builder.Services.AddArcBridgeForwardedHeaders();
        builder.Services.AddArcBridgeRateLimits();
        builder.Services.AddHsts(options =>
        {
            options.MaxAge = TimeSpan.FromDays(365);
            options.IncludeSubDomains = false; // the dashboard's name says nothing about its neighbours
        });
        builder.Services.AddAntiforgery(options =>
        {
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        return builder;
    }

    /// <summary>
    /// Security headers on every answer and HSTS on HTTPS answers. HSTS leaves localhost alone (its default exclusions),
    /// so a developer's https://localhost is not pinned. The rate limiter runs after routing (Accounts), where the
    /// endpoints' policies are known.
    /// </summary>
    public static WebApplication UseArcBridgeHardening(this WebApplication app)
    {
        app.UseSecurityHeaders();
        app.UseHsts();
        return app;
    }
}
