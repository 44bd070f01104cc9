using Microsoft.AspNetCore.Http;

namespace ArcBridgeDashboard.Web.Hardening;

public static class HardeningExtensions
{
    /// <summary>Rate limits, HSTS and the antiforgery cookie's flags.</summary>
    public static IHostApplicationBuilder AddArcBridgeHardening(this IHostApplicationBuilder builder)
    {
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
    /// Security headers on every answer, HSTS on HTTPS answers, then the rate limiter. HSTS leaves localhost alone
    /// (its default exclusions), so a developer's https://localhost is not pinned.
    /// </summary>
    public static WebApplication UseArcBridgeHardening(this WebApplication app)
    {
        app.UseSecurityHeaders();
        app.UseHsts();
        app.UseRateLimiter();
        return app;
    }
}
