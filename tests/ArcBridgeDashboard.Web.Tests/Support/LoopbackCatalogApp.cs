using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Configuration;

namespace ArcBridgeDashboard.Web.Tests.Support;

/// <summary>
/// A class fixture: the app (built-in agent off) started on a database prepared with only the given loopback catalog
/// endpoints, so a test class can share one app when each test reads and writes only its own endpoint's rows. On
/// either provider: a class that runs on both has one fixture subclass per provider.
/// </summary>
public abstract class LoopbackCatalogApp(DatabaseProvider provider, params CatalogEndpoint[] endpoints)
    : ArcBridgeAppFactory(new Dictionary<string, string?> { ["ArcBridge:BuiltInAgentEnabled"] = "false" }, provider: provider), IAsyncLifetime
{
    protected LoopbackCatalogApp(params CatalogEndpoint[] endpoints)
        : this(DatabaseProvider.Sqlite, endpoints)
    {
    }

    public virtual async Task InitializeAsync()
    {
        await TestDatabase.CreateWithCatalogAsync(Database, endpoints);
        CreateClient().Dispose();
    }

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask; // the factory's own Dispose cleans up
}
