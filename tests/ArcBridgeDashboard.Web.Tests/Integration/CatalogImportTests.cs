using ArcBridgeDashboard.Probes.Catalog;
using ArcBridgeDashboard.Web.Catalog;
using ArcBridgeDashboard.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ArcBridgeDashboard.Web.Tests.Integration;

/// <remarks>On both providers (<see cref="OnSqlite"/>, <see cref="OnPostgreSql"/>), each in its shared default app.</remarks>
public abstract class CatalogImportTests(DefaultAppFactory shared)
{
    [Collection(DefaultAppCollection.Name)]
    public sealed class OnSqlite(DefaultAppFactory app) : CatalogImportTests(app);

    [Collection(PostgreSqlDefaultAppCollection.Name)]
    public sealed class OnPostgreSql(PostgreSqlDefaultAppFactory app) : CatalogImportTests(app);

    private static readonly Dictionary<string, string?> NoSchedule = new() { ["ArcBridge:BuiltInAgentEnabled"] = "false" };

    [Fact]
    public async Task PreviewAsync_NewerAllowlistWithAddedRow_ShowsDiffAndWritesNothing()
    {
        var app = shared;
        var (versionsBefore, endpointsBefore) = await CountsAsync(app);

        var preview = await app.InScopeAsync(sp => sp.GetRequiredService<CatalogImportService>().PreviewAsync(NewerMarkdown()));

        Assert.True(preview.CanAccept);
        Assert.Equal("2026-11-01", preview.Version);
        Assert.Equal(["new.example.test"], preview.Diff!.Added.Select(e => e.HostPattern));
        Assert.Empty(preview.Diff.Removed);
        Assert.Equal((versionsBefore, endpointsBefore), await CountsAsync(app));
    }

    [Fact]
    public async Task PreviewAsync_BrokenMarkdown_ReturnsErrorsAndWritesNothing()
    {
        var app = shared;
        var before = await CountsAsync(app);

        var preview = await app.InScopeAsync(sp => sp.GetRequiredService<CatalogImportService>().PreviewAsync("# nothing here\n\nno table at all\n"));

        Assert.False(preview.CanAccept);
        Assert.NotEmpty(preview.Errors);
        Assert.Equal(before, await CountsAsync(app));
    }

    [Fact]
    public async Task AcceptAsync_NewerAllowlist_BecomesTheOnlyActiveVersionWithTargets()
    {
        using var app = new ArcBridgeAppFactory(NoSchedule, provider: shared.Provider); // its own: it changes the active catalog
        app.CreateClient().Dispose();

        var id = await app.InScopeAsync(sp => sp.GetRequiredService<CatalogImportService>().AcceptAsync(NewerMarkdown()));

        await using var db = app.CreateDbContext();
        var active = await db.CatalogVersions.SingleAsync(v => v.IsActive);
        Assert.Equal((id, "import", "2026-11-01"), (active.Id, active.Source, active.Version));
        Assert.Equal(2, await db.CatalogVersions.CountAsync());
        var added = await db.Endpoints.Include(e => e.Targets).SingleAsync(e => e.CatalogVersionId == id && e.HostPattern == "new.example.test");
        Assert.Equal("new.example.test:443/tcp", added.Targets.Single().Key);
    }

    private static string NewerMarkdown()
    {
        var markdown = DefaultCatalog.ReadEmbeddedMarkdown().Replace("ms.date: 08/25/2026", "ms.date: 11/01/2026", StringComparison.Ordinal);
        const string header = "|--|--|--|--|--|\n";
        var at = markdown.IndexOf(header, markdown.IndexOf("[Azure Cloud]", StringComparison.Ordinal), StringComparison.Ordinal) + header.Length;
        return markdown.Insert(at, "|New test service | 443 | `new.example.test` | Management machine needs outbound connection. | Added in this test. |\n");
    }

    private static async Task<(int Versions, int Endpoints)> CountsAsync(ArcBridgeAppFactory app)
    {
        await using var db = app.CreateDbContext();
        return (await db.CatalogVersions.CountAsync(), await db.Endpoints.CountAsync());
    }
}
