using ArcBridgeDashboard.Web.Configuration;
using ArcBridgeDashboard.Web.Monitoring.Queries;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ArcBridgeDashboard.Web.Api;

/// <summary>
/// The read-only REST API under <c>/api/v1</c> for scripts and other tools: current status, readiness, history per
/// endpoint and target, and sweeps. The same queries as the pages, so the API never disagrees with the dashboard.
/// </summary>
public static class ApiEndpoints
{
    public const string Prefix = "/api/v1";
    public const int MaxPageSize = 200;

    public static IEndpointRouteBuilder MapArcBridgeApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(Prefix).WithTags("Status").RequireAuthorization(Accounts.Policies.CanRead);
        api.MapGet("/status", GetStatusAsync)
            .WithSummary("Readiness and every target's current status per source role");
        api.MapGet("/readiness", GetReadinessAsync)
            .WithSummary("Readiness over the required endpoint × source checks (the overview banner)");
        api.MapGet("/endpoints/{id:int}", GetEndpointAsync)
            .WithSummary("One catalog endpoint: its targets, current status per agent and its state changes");
        api.MapGet("/targets/{id:int}/results", GetTargetResultsAsync)
            .WithSummary("A target's stored results, newest first, with phase timings");
        api.MapGet("/sweeps", GetSweepsAsync)
            .WithSummary("Sweeps of every agent, newest first; filter with agent=ID");
        api.MapGet("/sweeps/{id:long}", GetSweepAsync)
            .WithSummary("One sweep and every result it holds");
        return app;
    }

    private static async Task<Ok<StatusDto>> GetStatusAsync(OverviewQuery query, DashboardSettingsStore settings, TimeProvider time, CancellationToken cancellationToken)
    {
        var (model, now) = await OverviewAsync(query, settings, time, cancellationToken);
        return TypedResults.Ok(StatusDto.From(model, now));
    }

    private static async Task<Ok<ReadinessDto>> GetReadinessAsync(OverviewQuery query, DashboardSettingsStore settings, TimeProvider time, CancellationToken cancellationToken)
    {
        var (model, _) = await OverviewAsync(query, settings, time, cancellationToken);
        return TypedResults.Ok(ReadinessDto.From(model.Readiness));
    }

    private static async Task<Results<Ok<EndpointDto>, NotFound<ProblemDetailsLite>>> GetEndpointAsync(
        int id, EndpointDetailQuery query, DashboardSettingsStore settings, TimeProvider time, CancellationToken cancellationToken)
    {
        var interval = TimeSpan.FromMinutes((await settings.GetAsync(cancellationToken)).IntervalMinutes);
        var detail = await query.GetAsync(id, time.GetUtcNow(), interval, TimeSpan.FromDays(1), cancellationToken);
        return detail is null
            ? TypedResults.NotFound(new ProblemDetailsLite(404, "Not found", $"There is no endpoint {id}."))
            : TypedResults.Ok(EndpointDto.From(detail));
    }

    private static async Task<Results<Ok<ResultPageDto>, BadRequest<ProblemDetailsLite>>> GetTargetResultsAsync(
        int id, EndpointDetailQuery query, CancellationToken cancellationToken, int page = 1, int pageSize = 50)
    {
        if (PagingError(page, pageSize) is { } error)
            return TypedResults.BadRequest(error);
        var results = await query.GetResultsAsync(id, page, pageSize, cancellationToken);
        return TypedResults.Ok(new ResultPageDto(results.Items.Select(ResultDto.From).ToList(), results.Page, results.PageSize, results.HasMore));
    }

    private static async Task<Results<Ok<SweepPageDto>, BadRequest<ProblemDetailsLite>>> GetSweepsAsync(
        SweepHistoryQuery query, CancellationToken cancellationToken, int page = 1, int pageSize = 50, int? agent = null)
    {
        if (PagingError(page, pageSize) is { } error)
            return TypedResults.BadRequest(error);
        var sweeps = await query.GetPageAsync(page, pageSize, agent, cancellationToken);
        return TypedResults.Ok(new SweepPageDto(sweeps.Items.Select(SweepDto.From).ToList(), sweeps.Page, sweeps.PageSize, sweeps.HasMore));
    }

    private static async Task<Results<Ok<SweepDetailDto>, NotFound<ProblemDetailsLite>>> GetSweepAsync(long id, SweepHistoryQuery query, CancellationToken cancellationToken)
    {
        var sweep = await query.GetSweepAsync(id, cancellationToken);
        if (sweep is null)
            return TypedResults.NotFound(new ProblemDetailsLite(404, "Not found", $"There is no sweep {id}."));
        var results = await query.GetResultsAsync(id, cancellationToken);
        return TypedResults.Ok(new SweepDetailDto(SweepDto.From(sweep), results.Select(ResultDto.From).ToList()));
    }

    private static async Task<(OverviewModel Model, DateTimeOffset Now)> OverviewAsync(
        OverviewQuery query, DashboardSettingsStore settings, TimeProvider time, CancellationToken cancellationToken)
    {
        var interval = TimeSpan.FromMinutes((await settings.GetAsync(cancellationToken)).IntervalMinutes);
        var now = time.GetUtcNow();
        return (await query.GetAsync(now, interval, cancellationToken), now);
    }

    private static ProblemDetailsLite? PagingError(int page, int pageSize) =>
        page < 1 ? new(400, "Bad page", $"page must be 1 or more, not {page}.")
        : pageSize is < 1 or > MaxPageSize ? new(400, "Bad page size", $"pageSize must be between 1 and {MaxPageSize}, not {pageSize}.")
        : null;
}

/// <summary>An RFC 7807 problem body (status, title, detail) as a declared type, so OpenAPI documents the error shape.</summary>
public sealed record ProblemDetailsLite(int Status, string Title, string Detail);
