using System.Text.Json;
using ArcBridgeDashboard.Web.Configuration;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Serilog;

namespace ArcBridgeDashboard.Web.Operations;

public static partial class OperationsExtensions
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

    /// <summary>
    /// Request logging and /healthz (200 Healthy, 503 Unhealthy). The body names each check's status only: a check's
    /// description can carry exception text (paths, SQL) that an anonymous caller has no business reading, so it goes to the log.
    /// </summary>
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
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("ArcBridgeDashboard.Web.Operations.Health");
        foreach (var (name, entry) in report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy))
            LogUnhealthy(logger, entry.Exception, name, entry.Status, entry.Description);
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => e.Value.Status.ToString()),
        }));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Health check {Check} is {Status}: {Description}")]
    private static partial void LogUnhealthy(Microsoft.Extensions.Logging.ILogger logger, Exception? exception, string check, HealthStatus status, string? description);
}
