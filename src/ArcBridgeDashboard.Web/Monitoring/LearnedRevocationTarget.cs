using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Probes.Revocation;
using ArcBridgeDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace ArcBridgeDashboard.Web.Monitoring;

/// <summary>
/// A revocation server no catalog endpoint lists, named by a certificate chain an agent saw. Its first result adds it
/// as a target of the catalog's "named by certificate chains" endpoint, so it gets a row, history and a drill-down
/// like every other target, whichever agent learned it.
/// </summary>
public static class LearnedRevocationTarget
{
    /// <returns>The new target's id; null when the result is not a learned revocation server or names a bad host.</returns>
    public static async Task<int?> AddAsync(ArcBridgeDbContext db, ProbeResult result, CancellationToken cancellationToken)
    {
        if (result.EndpointKey != RevocationPlan.ChainEndpointKey || result.Protocol != TransportProtocol.Tcp
            || Uri.CheckHostName(result.Host) is not (UriHostNameType.Dns or UriHostNameType.IPv4 or UriHostNameType.IPv6))
            return null;
        var target = new Target
        {
            Key = $"{result.Host.ToLowerInvariant()}:{result.Port}/tcp",
            Host = result.Host.ToLowerInvariant(),
            Port = result.Port,
            Protocol = TransportProtocol.Tcp,
            Kind = ProbeKind.Revocation,
            Required = true,
            ExpansionNote = "named by a certificate chain an agent saw",
        };
        if (target.Key != result.TargetKey)
            return null;
        var endpoint = await db.Endpoints.Where(e => e.Key == RevocationPlan.ChainEndpointKey && e.CatalogVersion!.IsActive)
            .OrderBy(e => e.Id).FirstOrDefaultAsync(cancellationToken);
        if (endpoint is null)
            return null;
        target.EndpointId = endpoint.Id;
        target.Sources = endpoint.Sources;
        db.Targets.Add(target);
        await db.SaveChangesAsync(cancellationToken);
        return target.Id;
    }
}
