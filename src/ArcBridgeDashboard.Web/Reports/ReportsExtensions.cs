using System.Text;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ArcBridgeDashboard.Web.Reports;

public static class ReportsExtensions
{
    public static string DownloadPath(long id, string format) => $"/reports/{id}/download/{format}";

    /// <summary>Report builder and snapshots, the weekly schedule and its delivery (a delivery registered earlier wins).</summary>
    public static IHostApplicationBuilder AddArcBridgeReports(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ReportScheduleOptions>().BindConfiguration(ReportScheduleOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ReportScheduleOptions>, ReportScheduleOptionsValidator>();
        builder.Services.AddScoped<ReportBuilder>();
        builder.Services.AddScoped<ReportSnapshots>();
        builder.Services.TryAddSingleton<IReportDelivery, LoggingReportDelivery>();
        builder.Services.AddSingleton<ReportScheduler>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ReportScheduler>());
        return builder;
    }

    /// <summary>Downloads of a stored snapshot: PDF, CSV and the JSON body as stored.</summary>
    public static IEndpointRouteBuilder MapArcBridgeReports(this IEndpointRouteBuilder app)
    {
        app.MapGet("/reports/{id:long}/download/{format}", DownloadAsync).RequireAuthorization(Accounts.Policies.CanRead);
        return app;
    }

    private static async Task<IResult> DownloadAsync(long id, string format, ReportSnapshots snapshots, CancellationToken cancellationToken)
    {
        var name = $"readiness-report-{id}";
        switch (format.ToLowerInvariant())
        {
            case "json":
                var json = await snapshots.GetJsonAsync(id, cancellationToken);
                return json is null ? NotFound(id) : Results.File(Encoding.UTF8.GetBytes(json), "application/json", name + ".json");
            case "csv":
                var forCsv = await snapshots.GetAsync(id, cancellationToken);
                return forCsv is null ? NotFound(id)
                    : Results.File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(ReportCsv.Render(forCsv.Report, id))).ToArray(), "text/csv", name + ".csv");
            case "pdf":
                var forPdf = await snapshots.GetAsync(id, cancellationToken);
                return forPdf is null ? NotFound(id) : Results.File(ReportPdf.Render(forPdf.Report, id), "application/pdf", name + ".pdf");
            default:
                return Results.Text($"'{format}' is not an export format: use pdf, csv or json.", statusCode: StatusCodes.Status400BadRequest);
        }
    }

    private static IResult NotFound(long id) => Results.Text($"There is no report {id}.", statusCode: StatusCodes.Status404NotFound);
}
