using ArcBridgeDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ArcBridgeDashboard.Web.Operations;

/// <summary>The database answers a real query against the schema (not just "the file opens").</summary>
public sealed class DatabaseHealthCheck(IDbContextFactory<ArcBridgeDbContext> contexts) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var agents = await db.Agents.CountAsync(cancellationToken);
            return HealthCheckResult.Healthy($"{agents} agents");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The database does not answer: " + ex.Message);
        }
    }
}
