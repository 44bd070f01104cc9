using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Configuration;
using ArcBridgeDashboard.Web.Data;
using ArcBridgeDashboard.Web.Monitoring;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ArcBridgeDashboard.Web.Tests.Support;

/// <summary>Stores results through the product's one path (<see cref="ResultStore"/>) on a test's own context.</summary>
public static class TestResults
{
    /// <returns>True when the result was stored now; false when it was already stored or rejected.</returns>
    public static async Task<bool> StoreAsync(ArcBridgeDbContext db, int agentId, ProbeResult result, TimeProvider? time = null)
    {
        var outcome = await Store(db, time).StoreAsync(agentId, [result], new ResultStore.Sender(), default);
        return outcome.Stored == 1;
    }

    /// <param name="options">By default raw results are kept ten years, so tests may store results of any age.</param>
    /// <param name="gate">By default each store has its own single-writer gate.</param>
    /// <param name="notifier">Where stored results are announced; by default a notifier nobody listens to.</param>
    public static ResultStore Store(ArcBridgeDbContext db, TimeProvider? time = null, ArcBridgeOptions? options = null, IngestGate? gate = null,
        LiveStatusNotifier? notifier = null) =>
        new(db, gate ?? new IngestGate(), notifier ?? new LiveStatusNotifier(NullLogger<LiveStatusNotifier>.Instance),
            Options.Create(options ?? new ArcBridgeOptions { Retention = { RawDays = 3650, HourlyDays = 3650 } }), time ?? TimeProvider.System, NullLogger<ResultStore>.Instance);
}
