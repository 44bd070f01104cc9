using System.Diagnostics;
using ArcBridgeDashboard.Bench.Common;
using ArcBridgeDashboard.Web.Catalog;
using ArcBridgeDashboard.Web.Components;
using ArcBridgeDashboard.Web.Data;
using ArcBridgeDashboard.Web.Monitoring;
using ArcBridgeDashboard.Web.Operations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MudBlazor.Services;

namespace ArcBridgeDashboard.Bench.Pages;

/// <summary>Server time of one page's interactive render: median and p95 over the samples, and the HTML it produced.</summary>
public sealed record ServerRenderTiming(string Path, double MedianMs, double P95Ms, int Samples, int Chars);

/// <summary>
/// The server's share of the interactive render, without a browser: the circuit's root component (Routes → MainLayout → page) rendered in-process by Blazor's
/// HtmlRenderer with the dashboard's own service registrations (Program.cs's Add* calls, the published appsettings)
/// over the seeded file. Like a new circuit, every sample gets a fresh DI scope, so it runs the same
/// OnParametersSetAsync queries and the same component tree the circuit's first render batch does.
/// </summary>
public static class ServerRender
{
    public static async Task<IReadOnlyList<ServerRenderTiming>> MeasureAsync(string publishDir, string database, int endpointId, int warmup, int samples)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = publishDir, EnvironmentName = "Production" });
        var settings = new Dictionary<string, string?>
        {
            ["ArcBridge:BuiltInAgentEnabled"] = "false",
            ["ArcBridge:DefaultInterval"] = "1.00:00:00",
            ["ArcBridge:Retention:RawDays"] = "3650",
            ["ArcBridge:Retention:HourlyDays"] = "3650",
            ["ArcBridge:Retention:ChangeDays"] = "3650",
            ["ArcBridge:LogDirectory"] = Path.Combine(Seed.SchemaBootstrap.IsPostgreSql(database) ? Path.GetTempPath() : Path.GetDirectoryName(database)!, "render-logs"),
            ["Serilog:MinimumLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in DashboardProcess.DatabaseSettings(database))
            settings[key] = value;
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.AddArcBridgeOperations();
        builder.AddArcBridgeData();
        builder.AddArcBridgeCatalog();
        builder.AddArcBridgeMonitoring();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        // Built, never started: no hosted service (agent, retention) runs while pages render.
        await using var app = builder.Build();

        var timings = new List<ServerRenderTiming>();
        foreach (var path in new[] { "/", $"/endpoints/{endpointId}" })
        {
            var times = new List<double>();
            var chars = 0;
            for (var i = 0; i < warmup + samples; i++)
            {
                var clock = Stopwatch.StartNew();
                chars = await RenderOnceAsync(app.Services, path);
                if (i >= warmup) times.Add(clock.Elapsed.TotalMilliseconds);
            }
            timings.Add(new ServerRenderTiming(path, Stats.Median(times), Stats.Percentile(times, 95), times.Count, chars));
        }
        return timings;
    }

    /// <summary>The circuit's root component (Routes: router, MainLayout, the page) for <paramref name="path"/>.</summary>
    private static async Task<int> RenderOnceAsync(IServiceProvider root, string path)
    {
        await using var scope = root.CreateAsyncScope();
        var navigation = scope.ServiceProvider.GetRequiredService<NavigationManager>();
        ((IHostEnvironmentNavigationManager)navigation).Initialize("http://127.0.0.1/", "http://127.0.0.1" + path);
        await using var renderer = new HtmlRenderer(scope.ServiceProvider, scope.ServiceProvider.GetRequiredService<ILoggerFactory>());
        return await renderer.Dispatcher.InvokeAsync(async () =>
        {
            // RenderComponentAsync returns once the component is quiescent: its async loads have finished and re-rendered.
            var output = await renderer.RenderComponentAsync<Routes>(ParameterView.Empty);
            return output.ToHtmlString().Length;
        });
    }
}
