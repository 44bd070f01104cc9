using ArcBridgeDashboard.Probes.Contracts;

namespace ArcBridgeDashboard.Web.Tests.Support;

/// <summary>
/// A class fixture: the app (built-in agent off) started on a database prepared with only the given loopback catalog
/// endpoints, so a test class can share one app when each test reads and writes only its own endpoint's rows.
/// </summary>
public abstract class LoopbackCatalogApp(params CatalogEndpoint[] endpoints)
    : ArcBridgeAppFactory(new Dictionary<string, string?> { ["ArcBridge:BuiltInAgentEnabled"] = "false" }), IAsyncLifetime
{
    public virtual async Task InitializeAsync()
    {
        await TestDatabase.CreateWithCatalogAsync(DatabasePath, endpoints);
        CreateClient().Dispose();
    }

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask; // the factory's own Dispose cleans up
}
