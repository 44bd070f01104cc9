using ArcBridgeDashboard.Web.Configuration;
using ArcBridgeDashboard.Web.Monitoring.Queries;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;

namespace ArcBridgeDashboard.Web.Api;

public static class ApiExtensions
{
    public const string OpenApiPath = "/openapi/v1.json";
    public const string ApiDocsPath = "/api/docs";
    public const string MetricsPath = "/metrics";

    /// <summary>The REST API's OpenAPI document, the Prometheus metrics and their options.</summary>
    public static IHostApplicationBuilder AddArcBridgeApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<MetricsOptions>, MetricsOptionsValidator>();
        builder.Services.AddSingleton<ProbeMetrics>();
        builder.Services.AddHostedService<ProbeMetricsRecorder>();
        builder.Services.AddOpenApi("v1", options =>
        {
            // Only the public API: the agents' own endpoints are a private protocol between agent and dashboard.
            options.ShouldInclude = d => d.RelativePath?.StartsWith(ApiEndpoints.Prefix.TrimStart('/'), StringComparison.Ordinal) == true;
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "ArcBridge Dashboard API";
                document.Info.Description = "Current status, readiness, history per endpoint and target, and sweeps of every agent.";
                return Task.CompletedTask;
            });
        });
        return builder;
    }

    public static WebApplication MapArcBridgeApiAndMetrics(this WebApplication app)
    {
        app.MapArcBridgeApi();
        app.MapOpenApi(OpenApiPath).RequireAuthorization(Accounts.Policies.CanRead);
        // Operations networks often have no Internet and must not leak to it: the page's script is served from the
        // package, and the features that call Scalar's servers (AI agent, telemetry, MCP, web fonts) are off.
        app.MapScalarApiReference(ApiDocsPath, options => options
            .WithTitle("ArcBridge Dashboard API")
            .WithOpenApiRoutePattern(OpenApiPath)
            .DisableAgent()
            .DisableTelemetry()
            .DisableMcp()
            .DisableDefaultFonts()
            .HideDeveloperTools())
            .RequireAuthorization(Accounts.Policies.CanRead);
        // Anonymous at the routing level: the handler itself lets in signed-in users, API keys and allowed networks,
        // and answers anyone else 401 with the reason (a scraper gets no sign-in redirect).
        app.MapGet(MetricsPath, ScrapeAsync).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static async Task ScrapeAsync(
        HttpContext http, ProbeMetrics metrics, IOptions<MetricsOptions> options, OverviewQuery query, DashboardSettingsStore settings,
        TimeProvider time, CancellationToken cancellationToken)
    {
        if (!MayScrape(http, options.Value))
        {
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await http.Response.WriteAsync(
                $"Scraping {MetricsPath} needs a signed-in user or API key, or an address in {MetricsOptions.SectionName}:AllowedNetworks.", cancellationToken);
            return;
        }
        var interval = TimeSpan.FromMinutes((await settings.GetAsync(cancellationToken)).IntervalMinutes);
        var now = time.GetUtcNow();
        metrics.SetCurrent(await query.GetAsync(now, interval, cancellationToken), now);
        http.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
        await metrics.Registry.CollectAndExportAsTextAsync(http.Response.Body, cancellationToken);
    }

    private static bool DashboardRolesOf(System.Security.Claims.ClaimsPrincipal user) => Accounts.DashboardRoles.All.Any(user.IsInRole);

    private static bool MayScrape(HttpContext http, MetricsOptions options)
    {
        // The default scheme has already read the sign-in cookie or the API key: any role may scrape.
        if (http.User.Identity?.IsAuthenticated == true && DashboardRolesOf(http.User))
            return true;
        var remote = http.Connection.RemoteIpAddress;
        if (remote is null)
            return false;
        if (remote.IsIPv4MappedToIPv6)
            remote = remote.MapToIPv4();
        return options.Networks().Any(n => n.Contains(remote));
    }
}
