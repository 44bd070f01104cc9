using System.Text.Json;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace ArcBridgeDashboard.Web.Monitoring;

/// <summary>
/// Serves the TLS-inspecting root a stored result carries as a PEM file of exactly one certificate: what Arc's proxy
/// certificate setting takes, so an operator downloads it from the drill-down instead of digging it out of a chain.
/// </summary>
public static class InspectionRootLinks
{
    public static string PathFor(Guid resultId) => $"/results/{resultId}/inspection-root.pem";

    public static IEndpointRouteBuilder MapInspectionRootDownload(this IEndpointRouteBuilder app)
    {
        app.MapGet("/results/{resultId:guid}/inspection-root.pem", DownloadAsync).RequireAuthorization(Accounts.Policies.CanRead);
        return app;
    }

    private static async Task<IResult> DownloadAsync(Guid resultId, ArcBridgeDbContext db, CancellationToken cancellationToken)
    {
        var json = await db.Results.AsNoTracking().Where(r => r.ResultId == resultId).Select(r => r.DetailsJson).FirstOrDefaultAsync(cancellationToken);
        if (json is null)
            return Results.NotFound();
        var root = JsonSerializer.Deserialize<ProbeDetails>(json, ProbeJson.Options)?.Tls?.InterceptingRoot;
        if (root is null)
            return Results.NotFound();
        var name = $"inspection-root-{root.Sha256[..Math.Min(12, root.Sha256.Length)].ToLowerInvariant()}.pem";
        return Results.File(System.Text.Encoding.ASCII.GetBytes(root.Pem), "application/x-pem-file", name);
    }
}
