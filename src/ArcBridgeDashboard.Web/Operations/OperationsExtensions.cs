using System.Text.Json;
using ArcBridgeDashboard.Web.Configuration;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Serilog;

namespace ArcBridgeDashboard.Web.Operations;

public static class OperationsExtensions
{
    /// <summary>Serilog to the console and a daily rolling file (ArcBridge:LogDirectory, default logs/), plus health checks.</summary>
    public static IHostApplicationBuilder AddArcBridgeOperations(this IHostApplicationBuilder builder)
    {
        var logDirectory = builder.Configuration[$"{ArcBridgeOptions.SectionName}:{nameof(ArcBridgeOptions.LogDirectory)}"] ?? "logs";
        var logPath = Path.Combine(builder.Environment.ContentRootPath, logDirectory, "arcbridge-.log");
        // preserveStaticLogger: several hosts (tests) may live in one process; none owns Log.Logger.
        builder.Services.AddSerilog((services, logger) => logger
            .ReadFrom.Configuration(builder.Configuration)
            .ReadFrom.Services(services)
            .Enrich.FromLogContext()
            .WriteTo.Console(formatProvider: System.Globalization.CultureInfo.InvariantCulture)
            .WriteTo.File(logPath, rollingInterval: RollingInterval.Day, retainedFileCountLimit: 14, shared: true,
                formatProvider: System.Globalization.CultureInfo.InvariantCulture),
            preserveStaticLogger: true);
        builder.Services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database")
            .AddCheck<BuiltInAgentHealthCheck>("built-in-agent");
        return builder;
    }

    /// <summary>Request logging and /healthz (200 Healthy, 503 Unhealthy, JSON body with each check).</summary>
    public static WebApplication UseArcBridgeOperations(this WebApplication app)
    {
        // The middleware defaults to the static Log.Logger, which this app leaves alone: give it the app's logger.
        app.UseSerilogRequestLogging(options => options.Logger = app.Services.GetRequiredService<Serilog.ILogger>());
        // Load balancers and monitors probe it without signing in; it tells nothing secret.
        app.MapHealthChecks("/healthz", new HealthCheckOptions { ResponseWriter = WriteJsonAsync }).AllowAnonymous();
        return app;
    }

    private static Task WriteJsonAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        }));
    }
}
