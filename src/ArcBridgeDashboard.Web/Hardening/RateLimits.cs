using System.Globalization;
using System.Threading.RateLimiting;
using ArcBridgeDashboard.Web.Agents;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace ArcBridgeDashboard.Web.Hardening;

/// <summary>The ASP.NET Core rate limiter's policies for the anonymous and the agent endpoints.</summary>
public static class RateLimits
{
    public const string EnrollPolicy = "enroll";
    public const string IngestPolicy = "ingest";

    public static IServiceCollection AddArcBridgeRateLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = WriteRejectionAsync;
            limiter.AddPolicy(EnrollPolicy, http =>
            {
                var options = http.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
                return RateLimitPartition.GetFixedWindowLimiter("ip:" + ClientAddress(http),
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = options.EnrollPermitLimit, Window = options.EnrollWindow, QueueLimit = 0 });
            });
            limiter.AddPolicy(IngestPolicy, http =>
            {
                var options = http.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
                // Per agent the credential names and per address: the credential is checked only later, by the
                // endpoint, so a forged one from elsewhere must not spend the real agent's permits.
                var agent = ReadAgentId(http) is { } agentId ? agentId.ToString(CultureInfo.InvariantCulture) : "-";
                var key = $"agent:{agent}@{ClientAddress(http)}";
                return RateLimitPartition.GetFixedWindowLimiter(key,
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = options.IngestPermitLimit, Window = options.IngestWindow, QueueLimit = 0 });
            });
        });
        return services;
    }

    private static async ValueTask WriteRejectionAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : 60;
        context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var detail = context.HttpContext.Request.Path.StartsWithSegments("/api/agents")
            ? $"Too many requests from this {(ReadAgentId(context.HttpContext) is null ? "address" : "agent")}; try again in {seconds} s. Nothing was stored."
            : $"Too many sign-in attempts from this address. Try again in {seconds} s.";
        await Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests", detail: detail)
            .ExecuteAsync(context.HttpContext);
    }

    private static string ClientAddress(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static int? ReadAgentId(HttpContext http)
    {
        string? header = http.Request.Headers.Authorization;
        return header is not null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            && AgentSecrets.TryParseCredential(header["Bearer ".Length..].Trim(), out var agentId) ? agentId : null;
    }
}
