using System.Globalization;
using System.Text.Json;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Data;
using ArcBridgeDashboard.Web.Monitoring;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ArcBridgeDashboard.Web.Agents;

/// <summary>The HTTP side of the agent API: enrol, plan, results, commands. Errors are ProblemDetails naming the problem.</summary>
public static class AgentApiEndpoints
{
    public static IEndpointRouteBuilder MapAgentApi(this IEndpointRouteBuilder app)
    {
        app.MapPost(AgentApi.EnrollPath, EnrollAsync).AllowAnonymous().DisableAntiforgery().RequireRateLimiting(Hardening.RateLimits.EnrollPolicy);
        var agents = app.MapGroup("").RequireAuthorization(AgentsExtensions.AgentPolicy).DisableAntiforgery();
        agents.MapGet(AgentApi.PlanPath, PlanAsync);
        agents.MapPost(AgentApi.ResultsPath, ResultsAsync).RequireRateLimiting(Hardening.RateLimits.IngestPolicy);
        agents.MapGet(AgentApi.CommandsPath, CommandsAsync);
        return app;
    }

    private static async Task<IResult> EnrollAsync(HttpContext http, EnrollmentService enrollment, CancellationToken cancellationToken)
    {
        var (request, error) = await ReadJsonAsync<EnrollRequest>(http, 64 * 1024, cancellationToken);
        if (request is null)
            return error!;
        var outcome = await enrollment.EnrollAsync(request, http.Connection.RemoteIpAddress?.ToString(), cancellationToken);
        return outcome.Response is { } response
            ? Results.Ok(response)
            : Results.Problem(statusCode: outcome.Status, title: "Enrolment refused", detail: outcome.Error);
    }

    private static async Task<IResult> PlanAsync(HttpContext http, AgentPlanBuilder builder, ArcBridgeDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var agentId = http.User.AgentId();
        await TouchAsync(db, agentId, http, time, cancellationToken);
        var kinds = AgentApi.ParseProbeKinds(http.Request.Headers[AgentApi.ProbeKindsHeader]);
        var plan = await builder.BuildAsync(agentId, http.User.AgentRole(), kinds, cancellationToken);
        var etag = $"\"{plan.Version}\"";
        http.Response.Headers.ETag = etag;
        if (http.Request.Headers.IfNoneMatch.Any(v => v == etag))
            return Results.StatusCode(StatusCodes.Status304NotModified);
        return Results.Json(plan, ProbeJson.Options);
    }

    private static async Task<IResult> CommandsAsync(HttpContext http, AgentPresence presence, ArcBridgeDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var agentId = http.User.AgentId();
        await TouchAsync(db, agentId, http, time, cancellationToken);
        return Results.Json(new AgentCommands { CheckNowSequence = presence.CheckNowSequence(agentId) }, ProbeJson.Options);
    }

    /// <summary>Beyond this an agent's clock is not skewed but broken, and shifting its times would overflow.</summary>
    private static readonly TimeSpan MaxClockOffset = TimeSpan.FromDays(3650);

    private static async Task<IResult> ResultsAsync(HttpContext http, ResultStore store, IOptions<AgentOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        if (!TryReadAgentClock(http, out var agentClock))
            return Problem(StatusCodes.Status400BadRequest, "Bad agent clock header", $"{AgentApi.AgentTimeHeader} must be Unix milliseconds.");
        if (agentClock is { } clock && (clock - time.GetUtcNow()).Duration() > MaxClockOffset)
            return Problem(StatusCodes.Status400BadRequest, "Agent clock out of range",
                $"{AgentApi.AgentTimeHeader} says {clock:yyyy-MM-dd HH:mm:ss}Z, more than 10 years from the dashboard's clock ({time.GetUtcNow():yyyy-MM-dd HH:mm:ss}Z). Set the agent machine's clock (NTP). Nothing was stored.");
        var (batch, error) = await ReadJsonAsync<ResultBatch>(http, limits.MaxBatchBytes, cancellationToken);
        if (batch is null)
            return error!;
        var agentId = http.User.AgentId();
        if (batch.AgentId != agentId)
            return Problem(StatusCodes.Status403Forbidden, "Not your results", $"The batch names agent {batch.AgentId}, but the credential belongs to agent {agentId}. An agent may post only its own results.");
        if (batch.Results is { Count: var count } && count > limits.MaxBatchResults)
            return Problem(StatusCodes.Status413PayloadTooLarge, "Batch too large", $"The batch holds {count} results; the limit is {limits.MaxBatchResults} (ArcBridge:Agents:MaxBatchResults). Send smaller batches.");
        if (ResultBatchValidator.Validate(batch, limits.MaxDetailsBytes) is { } invalid)
            return Problem(StatusCodes.Status400BadRequest, "Invalid result batch", invalid + " Nothing was stored.");
        var sender = new ResultStore.Sender(agentClock, http.Connection.RemoteIpAddress?.ToString(), batch.OutboxDepth, Remote: true);
        var outcome = await store.StoreAsync(agentId, batch.Results, sender, cancellationToken);
        if (outcome.Refused is { } refused)
            return Problem(StatusCodes.Status400BadRequest, "Result batch refused", refused + " Nothing was stored.");
        return Results.Json(outcome.Ack, ProbeJson.Options);
    }

    /// <summary>Reads a JSON body within a size limit; on failure returns the 400/413 to send.</summary>
    private static async Task<(T? Value, IResult? Error)> ReadJsonAsync<T>(HttpContext http, long maxBytes, CancellationToken cancellationToken) where T : class
    {
        if (http.Request.ContentLength > maxBytes)
            return (null, Problem(StatusCodes.Status413PayloadTooLarge, "Request too large", $"The body has {http.Request.ContentLength} bytes; the limit is {maxBytes}."));
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
            sizeFeature.MaxRequestBodySize = maxBytes;
        if (!(http.Request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) ?? false))
            return (null, Problem(StatusCodes.Status415UnsupportedMediaType, "JSON expected", "Send the body as application/json."));
        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(http.Request.Body, ProbeJson.Options, cancellationToken);
            return value is null
                ? (null, Problem(StatusCodes.Status400BadRequest, "Malformed JSON", "The body is JSON null; an object is expected. Nothing was stored."))
                : (value, null);
        }
        catch (JsonException ex)
        {
            var where = ex.Path is null ? "" : $" at {ex.Path}";
            return (null, Problem(StatusCodes.Status400BadRequest, "Malformed JSON", $"The body is not a valid {typeof(T).Name}{where}: {FirstLine(ex.Message)} Nothing was stored."));
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, Problem(StatusCodes.Status413PayloadTooLarge, "Request too large", $"The body exceeds {maxBytes} bytes."));
        }
    }

    private static bool TryReadAgentClock(HttpContext http, out DateTimeOffset? agentClock)
    {
        agentClock = null;
        var raw = http.Request.Headers[AgentApi.AgentTimeHeader].ToString();
        if (raw.Length == 0)
            return true;
        if (!long.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms) || ms is < 0 or > 253_402_300_799_999)
            return false;
        agentClock = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        return true;
    }

    /// <summary>Plan and command polls count as contact: last seen, clock offset and address.</summary>
    private static async Task TouchAsync(ArcBridgeDbContext db, int agentId, HttpContext http, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        double? offsetMs = TryReadAgentClock(http, out var clock) && clock is { } c ? (c - now).TotalMilliseconds : null;
        var address = http.Connection.RemoteIpAddress?.ToString();
        await db.Agents.Where(a => a.Id == agentId).ExecuteUpdateAsync(s => s
            .SetProperty(a => a.LastSeenAt, now)
            .SetProperty(a => a.ClockOffsetMs, a => offsetMs ?? a.ClockOffsetMs)
            .SetProperty(a => a.Address, a => address ?? a.Address), cancellationToken);
    }

    private static IResult Problem(int status, string title, string detail) => Results.Problem(statusCode: status, title: title, detail: detail);

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();
}
