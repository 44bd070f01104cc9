using ArcBridgeDashboard.Probes.Catalog;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Testing;
using ArcBridgeDashboard.Web.Catalog;
using ArcBridgeDashboard.Web.Configuration;
using ArcBridgeDashboard.Web.Data;
using ArcBridgeDashboard.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ArcBridgeDashboard.Web.Tests.Integration;

/// <summary>Accepting another allowlist keeps what operators built up: ids, drill-down URLs, history, intervals.</summary>
/// <remarks>On both providers (<see cref="OnSqlite"/>, <see cref="OnPostgreSql"/>), each in its shared default app.</remarks>
public abstract class CatalogHistoryTests(DefaultAppFactory shared)
{
    [Collection(DefaultAppCollection.Name)]
    public sealed class OnSqlite(DefaultAppFactory app) : CatalogHistoryTests(app);

    [Collection(PostgreSqlDefaultAppCollection.Name)]
    public sealed class OnPostgreSql(PostgreSqlDefaultAppFactory app) : CatalogHistoryTests(app);

    private static readonly Dictionary<string, string?> NoSchedule = new() { ["ArcBridge:BuiltInAgentEnabled"] = "false" };

    private static string Seed() => File.ReadAllText(Path.Combine(RepositoryRoot.Path, "tests", "ArcBridgeDashboard.Probes.Tests", "Fixtures", "arc-resource-bridge-network-requirements.md"));

    [Fact]
    public async Task AcceptAsync_OlderVersionWithoutConfirmation_IsRefusedNamingBothDatesAndChangesNothing()
    {
        var app = shared;

        var preview = await app.InScopeAsync(sp => sp.GetRequiredService<CatalogImportService>().PreviewAsync(Seed()));
        var refused = await Assert.ThrowsAsync<OlderCatalogException>(() => app.InScopeAsync(sp => sp.GetRequiredService<CatalogImportService>().AcceptAsync(Seed())));

        Assert.True(preview.IsOlder);
        Assert.Contains("2024-03-19", refused.Message, StringComparison.Ordinal);
        Assert.Contains("2026-08-25", refused.Message, StringComparison.Ordinal);
        await using var db = app.CreateDbContext();
        Assert.Equal("2026-08-25", (await db.CatalogVersions.SingleAsync(v => v.IsActive)).Version);
        Assert.Equal(1, await db.CatalogVersions.CountAsync());
    }

    [Fact]
    public async Task AcceptAsync_AnotherVersion_KeepsIdsHistoryAndIntervalsAndRetiresWhatItDrops()
    {
        using var app = new ArcBridgeAppFactory(NoSchedule, provider: shared.Provider); // its own: it changes the active catalog
        app.CreateClient().Dispose();
        var (mcr, mcrTarget, arm) = await EndpointsAsync(app);
        await using (var db = app.CreateDbContext())
        {
            var endpoint = await db.Endpoints.SingleAsync(e => e.Id == mcr);
            endpoint.IntervalSeconds = 120;
            db.Results.Add(FailedResult(mcrTarget, app.Time.GetUtcNow()));
            await db.SaveChangesAsync();
        }

        await app.InScopeAsync(sp => sp.GetRequiredService<CatalogImportService>().AcceptAsync(Seed(), confirmOlder: true));

        await using (var db = app.CreateDbContext())
        {
            var kept = await db.Endpoints.Include(e => e.CatalogVersion).Include(e => e.Targets).SingleAsync(e => e.Id == mcr);
            Assert.Equal(("2024-03-19", true, 120), (kept.CatalogVersion!.Version, kept.CatalogVersion.IsActive, kept.IntervalSeconds));
            Assert.Contains(kept.Targets, t => t.Id == mcrTarget && t.RetiredAt is null);
            Assert.Equal(1, await db.Results.CountAsync(r => r.TargetId == mcrTarget));
            // management.azure.com is not in the 2024 document: retired, history readable, off the probed set.
            var retired = await db.Endpoints.Include(e => e.CatalogVersion).Include(e => e.Targets).SingleAsync(e => e.Id == arm);
            Assert.False(retired.CatalogVersion!.IsActive);
            Assert.All(retired.Targets, t => Assert.NotNull(t.RetiredAt));
        }

        // Back to the current version: the retired endpoint comes back under its old id.
        await app.InScopeAsync(sp => sp.GetRequiredService<CatalogImportService>().AcceptAsync(DefaultCatalog.ReadEmbeddedMarkdown()));
        var (mcrAgain, mcrTargetAgain, armAgain) = await EndpointsAsync(app);
        Assert.Equal((mcr, mcrTarget, arm), (mcrAgain, mcrTargetAgain, armAgain));
    }

    [Fact]
    public async Task Start_DatabaseOnAnOlderShippedCatalog_MovesToTheNewOneKeepingIds()
    {
        var directory = Path.Combine(Path.GetTempPath(), "arcbridge-upgrade-" + Guid.NewGuid().ToString("N"));
        int mcr;
        string database;
        // Its own folder and database, started twice (kept: the second start must find the first one's data).
        using (var app = new ArcBridgeAppFactory(NoSchedule, directory, shared.Provider) { KeepDirectory = true })
        {
            database = app.Database;
            app.CreateClient().Dispose();
            await app.InScopeAsync(sp => sp.GetRequiredService<CatalogImportService>().AcceptAsync(Seed(), confirmOlder: true));
            await using var db = app.CreateDbContext();
            // As a database made by a release that shipped the 2024-03-19 document would look.
            await db.CatalogVersions.Where(v => v.IsActive).ExecuteUpdateAsync(s => s.SetProperty(v => v.Source, CatalogSeeder.DefaultSource));
            mcr = (await EndpointsAsync(app)).Mcr;
        }

        using var upgraded = new ArcBridgeAppFactory(NoSchedule, directory, shared.Provider, database: database);
        upgraded.CreateClient().Dispose();

        await using var after = upgraded.CreateDbContext();
        Assert.Equal("2026-08-25", (await after.CatalogVersions.SingleAsync(v => v.IsActive)).Version);
        Assert.Equal(mcr, (await EndpointsAsync(upgraded)).Mcr);
    }

    private static async Task<(int Mcr, int McrTarget, int Arm)> EndpointsAsync(ArcBridgeAppFactory app)
    {
        await using var db = app.CreateDbContext();
        var mcr = await db.Endpoints.Include(e => e.Targets).SingleAsync(e => e.Key == "mcr.microsoft.com:443/tcp" && e.Cloud == Cloud.AzureCloud && e.CatalogVersion!.IsActive);
        var arm = await db.Endpoints.Where(e => e.Key == "management.azure.com:443/tcp" && e.Cloud == Cloud.AzureCloud).Select(e => e.Id).SingleOrDefaultAsync();
        return (mcr.Id, mcr.Targets.Single(t => t.RetiredAt is null).Id, arm);
    }

    private static Result FailedResult(int targetId, DateTimeOffset at) => new()
    {
        ResultId = Guid.NewGuid(), TargetId = targetId, AgentId = Agent.BuiltInId, StartedAt = at, Verdict = Verdict.Fail,
        Phase = Phase.Proxy, Reason = ReasonCode.ProxyDenied, Message = "denied",
    };
}

public sealed class CatalogImportChangeSummaryTests
{
    [Theory, BothProviders]
    public async Task CheckNow_AfterAcceptingAnAllowlistWithANewFailingEndpoint_ItIsAFirstCheckNotNewlyFailing(DatabaseProvider provider)
    {
        var stays = LoopbackTlsServer.ClosedPort();
        var added = LoopbackTlsServer.ClosedPort();
        // Its own app: on a prepared loopback catalog, and it changes settings and the catalog.
        using var app = new ArcBridgeAppFactory(new Dictionary<string, string?> { ["ArcBridge:BuiltInAgentEnabled"] = "false" }, provider: provider);
        await TestDatabase.CreateWithCatalogAsync(app.Database, TestDatabase.Loopback("Stays down", stays));
        app.CreateClient().Dispose();
        Assert.Empty(await app.InScopeAsync(sp => sp.GetRequiredService<Web.Configuration.DashboardSettingsStore>().SaveAsync(new Web.Configuration.DashboardSettings { PhaseTimeoutSeconds = 2 })));
        var checkNow = app.Services.GetRequiredService<Web.Monitoring.CheckNowService>();
        await checkNow.CheckNow();

        var markdown = "|Service|Port|URL|Direction|Notes|\n|--|--|--|--|--|\n"
            + $"|Stays down|{stays}|`127.0.0.1`|Management machine needs outbound connection.|kept|\n"
            + $"|Added later|{added}|`127.0.0.1`|Management machine needs outbound connection.|new|\n";
        await app.InScopeAsync(sp => sp.GetRequiredService<CatalogImportService>().AcceptAsync(markdown));
        var second = await checkNow.CheckNow();

        Assert.Empty(second.Changes.NewlyFailing);
        Assert.Equal(["Stays down"], second.Changes.StillFailing.Select(c => c.Service));
        // An imported allowlist also brings the default revocation servers (port 80), unreachable here like everything else.
        Assert.Equal(["Added later"], second.Changes.FirstCheckFailing.Select(c => c.Service).Where(s => s != Probes.Revocation.RevocationPlan.Service));
    }
}
