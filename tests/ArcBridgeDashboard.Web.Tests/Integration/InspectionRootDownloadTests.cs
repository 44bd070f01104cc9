using System.Net;
using System.Security.Cryptography.X509Certificates;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Probes.Sweeps;
using ArcBridgeDashboard.Testing;
using ArcBridgeDashboard.Web.Configuration;
using ArcBridgeDashboard.Web.Data;
using ArcBridgeDashboard.Web.Monitoring;
using ArcBridgeDashboard.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace ArcBridgeDashboard.Web.Tests.Integration;

/// <summary>
/// A real probe of a loopback TLS listener whose root is trusted but not expected (what an inspecting proxy looks like),
/// stored as the built-in agent stores it; the drill-down's download link then hands over that one root. On both
/// providers: <see cref="OnSqlite"/>, <see cref="OnPostgreSql"/>.
/// </summary>
public abstract class InspectionRootDownloadTests(InspectionRootDownloadTests.TlsTargetApp app)
{
    public sealed class OnSqlite(TlsTargetApp.Sqlite app) : InspectionRootDownloadTests(app), IClassFixture<TlsTargetApp.Sqlite>;

    public sealed class OnPostgreSql(TlsTargetApp.PostgreSql app) : InspectionRootDownloadTests(app), IClassFixture<TlsTargetApp.PostgreSql>;

    /// <summary>One loopback TLS listener and one app whose only target it is; each test stores its own probe result.</summary>
    public abstract class TlsTargetApp : LoopbackCatalogApp
    {
        private readonly LoopbackTlsServer _server;

        protected TlsTargetApp(DatabaseProvider provider) : this(provider, LoopbackTlsServer.CreatePki())
        {
        }

        private TlsTargetApp(DatabaseProvider provider, (X509Certificate2 Root, X509Certificate2 Leaf) pki) : this(provider, pki.Root, new LoopbackTlsServer(pki.Leaf))
        {
        }

        private TlsTargetApp(DatabaseProvider provider, X509Certificate2 root, LoopbackTlsServer server)
            : base(provider, TestDatabase.Loopback("Loopback TLS", server.Port))
        {
            Root = root;
            _server = server;
        }

        public X509Certificate2 Root { get; }

        protected override void Dispose(bool disposing)
        {
            _server.Dispose();
            base.Dispose(disposing);
        }

        public sealed class Sqlite() : TlsTargetApp(DatabaseProvider.Sqlite);

        public sealed class PostgreSql() : TlsTargetApp(DatabaseProvider.PostgreSql);
    }

    [Fact]
    public async Task Get_InspectedResult_ServesExactlyTheInterceptingRootAsAnAttachment()
    {
        var root = app.Root;
        var result = await StoreProbeAsync(app, new ProbeSettings { TrustedRoots = [root] });
        Assert.Equal(ReasonCode.TlsInspected, result.Reason);
        using var client = app.CreateClient();

        using var response = await client.GetAsync(InspectionRootLinks.PathFor(result.Id));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-pem-file", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.EndsWith(".pem", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var pem = await response.Content.ReadAsStringAsync();
        var certificates = new X509Certificate2Collection();
        certificates.ImportFromPem(pem);
        var only = Assert.Single(certificates);
        Assert.Equal(root.RawData, only.RawData);
        Assert.Equal(1, pem.Split("BEGIN CERTIFICATE").Length - 1);
    }

    [Fact]
    public async Task Get_ResultWithoutInspection_IsNotFound()
    {
        var root = app.Root;
        var result = await StoreProbeAsync(app, new ProbeSettings { TrustedRoots = [root], ExpectedRoots = [root] });
        Assert.Equal(Verdict.Pass, result.Verdict);
        using var client = app.CreateClient();

        using var clean = await client.GetAsync(InspectionRootLinks.PathFor(result.Id));
        using var unknown = await client.GetAsync(InspectionRootLinks.PathFor(Guid.NewGuid()));

        Assert.Equal(HttpStatusCode.NotFound, clean.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    private static async Task<ProbeResult> StoreProbeAsync(ArcBridgeAppFactory app, ProbeSettings settings)
    {
        await using var db = app.CreateDbContext();
        var target = await db.Targets.Include(t => t.Endpoint).SingleAsync();
        var result = await new TargetProber().ProbeAsync(target.ToContract(target.Endpoint!), settings);
        Assert.True(await TestResults.StoreAsync(db, Agent.BuiltInId, result));
        return result;
    }
}
