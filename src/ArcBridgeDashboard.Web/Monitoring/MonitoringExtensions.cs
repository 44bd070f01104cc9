using ArcBridgeDashboard.Probes.Sweeps;
using ArcBridgeDashboard.Web.Configuration;
using ArcBridgeDashboard.Web.Data;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ArcBridgeDashboard.Web.Monitoring;

public static class MonitoringExtensions
{
    /// <summary>The built-in agent: probe engine, sweep service, check-now, scheduler, retention and the live notifier.</summary>
    public static IHostApplicationBuilder AddArcBridgeMonitoring(this IHostApplicationBuilder builder)
    {
        // Probes run on the real clock even when the schedule runs on a fake one: network timeouts are real.
        builder.Services.TryAddSingleton(sp => new SweepRunner(new TargetProber(TimeProvider.System, sp.GetRequiredService<ILogger<TargetProber>>())));
        builder.Services.AddSingleton<LiveStatusNotifier>();
        builder.Services.AddSingleton<BuiltInAgentState>();
        builder.Services.AddSingleton<CheckNowService>();
        builder.Services.AddSingleton<Changes.CheckRunService>();
        builder.Services.AddSingleton(sp => IngestGate.For(sp.GetRequiredService<IOptions<ArcBridgeOptions>>().Value.Database.Kind));
        builder.Services.AddScoped<ResultStore>();
        builder.Services.AddScoped<SweepService>();
        builder.Services.AddScoped<Queries.OverviewQuery>();
        builder.Services.AddSingleton<Queries.CheckHourCache>();
        builder.Services.AddScoped<Queries.ReadinessTrendQuery>();
        builder.Services.AddScoped<Queries.EndpointDetailQuery>();
        builder.Services.AddScoped<Queries.SweepHistoryQuery>();
        builder.Services.AddScoped<Queries.SetupProgressQuery>();
        builder.Services.AddScoped<Changes.ChangesQuery>();
        builder.Services.AddScoped<Changes.AnnotationsQuery>();
        builder.Services.AddScoped<Changes.AnnotationService>();
        builder.Services.AddHostedService<BuiltInAgentScheduler>();
        builder.Services.AddHostedService<RetentionService>();
        builder.Services.AddSingleton<IStartupSeeder, DailyRollupBackfill>();
        return builder;
    }
}
