using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Catalog;
using ArcBridgeDashboard.Web.Configuration;
using ArcBridgeDashboard.Web.Data;
using ArcBridgeDashboard.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ArcBridgeDashboard.Web.Tests.Reports;

/// <summary>
/// A dashboard as an operator would find it before a go-live: two online agents (one per role), a proxy with
/// credentials, and stored results that fail in the ways remedies are written for (proxy 403 on a wildcard, TLS
/// inspection, NTP blocked) beside a pass and a stale pass. The built-in agent is off so nothing probes the Internet.
/// </summary>
public static class ReportScenario
{
    public const string ProxyPassword = "s3cret-Pa55";
    public const string DataPlanePattern = "*.dp.prod.appliances.azure.com";
    public const string DataPlaneHost = "westeurope.dp.prod.appliances.azure.com";
    public const string InspectingIssuer = "CN=Contoso Inspection CA";

    public static ArcBridgeAppFactory CreateApp(IDictionary<string, string?>? settings = null, DatabaseProvider provider = DatabaseProvider.Sqlite)
    {
        var all = new Dictionary<string, string?> { ["ArcBridge:BuiltInAgentEnabled"] = "false" };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>())
            all[k] = v;
        return new ArcBridgeAppFactory(all, provider: provider);
    }

    /// <summary>Catalog, settings, agents and the first round of results.</summary>
    public static async Task SeedAsync(ArcBridgeAppFactory app)
    {
        await TestDatabase.MigrateAsync(app.Database);
        await using (var db = TestDatabase.Open(app.Database))
        {
            var now = app.Time.GetUtcNow();
            var version = new CatalogVersion
            {
                Version = "2026-08-25", Source = "test", ImportedAt = now, IsActive = true,
                Endpoints =
                [
                    Endpoint("Arc data plane", DataPlanePattern, 443, TransportProtocol.Tcp, Sources.ManagementMachine | Sources.ApplianceVm),
                    Endpoint("Microsoft Container Registry", "mcr.microsoft.com", 443, TransportProtocol.Tcp, Sources.ManagementMachine),
                    Endpoint("Time", "time.windows.com", 123, TransportProtocol.Udp, Sources.ManagementMachine),
                    Endpoint("Key Vault", "login.microsoftonline.com", 443, TransportProtocol.Tcp, Sources.ManagementMachine),
                ],
            };
            CatalogTargetSync.ApplyExpansion(version.Endpoints,
                new ProbeSettings { WildcardOverrides = new Dictionary<string, string> { [DataPlanePattern] = DataPlaneHost } }, now);
            db.CatalogVersions.Add(version);
            db.Agents.Add(new Agent { Name = "mgmt-lab", Role = Sources.ManagementMachine, CreatedAt = now, LastSeenAt = now });
            db.Agents.Add(new Agent { Name = "vm-lab", Role = Sources.ApplianceVm, CreatedAt = now, LastSeenAt = now });
            await db.SaveChangesAsync();
        }
        app.CreateClient().Dispose(); // starts the app on the prepared file
        var errors = await app.InScopeAsync(sp => sp.GetRequiredService<DashboardSettingsStore>().SaveAsync(new DashboardSettings
        {
            Region = "westeurope",
            ProxyUrl = "http://proxy.corp.example:3128",
            ProxyUser = "arc-svc",
            NewProxyPassword = ProxyPassword,
            WildcardOverrides = new Dictionary<string, string> { [DataPlanePattern] = DataPlaneHost },
        }));
        Assert.Empty(errors);
    }

    public static async Task StoreAsync(ArcBridgeAppFactory app, string agent, string service, Verdict verdict, ReasonCode reason,
        TimeSpan age = default, Phase phase = Phase.None, ProbeDetails? details = null)
    {
        await using var db = app.CreateDbContext();
        var agentId = await db.Agents.Where(a => a.Name == agent).Select(a => a.Id).SingleAsync();
        var target = await db.Targets.Include(t => t.Endpoint).SingleAsync(t => t.Endpoint!.Service == service && t.RetiredAt == null);
        var stored = await TestResults.StoreAsync(db, agentId, new ProbeResult
        {
            EndpointKey = target.Endpoint!.Key, TargetKey = target.Key, Service = service, Host = target.Host!, Port = target.Port,
            Protocol = target.Protocol, Sources = target.Sources, Verdict = verdict, Phase = phase, Reason = reason,
            Message = ReasonCatalog.Message(reason, $"{target.Host}:{target.Port}"), StartedAt = app.Time.GetUtcNow() - age,
            TimingsMs = new Dictionary<string, double> { ["dns"] = 1.5, ["tcp"] = 2.25, ["total"] = 12.5 },
            Details = details ?? new ProbeDetails(),
        }, app.Time);
        Assert.True(stored);
    }

    /// <summary>Proxy 403 on the data plane from the management machine, TLS inspection on MCR, NTP blocked, a stale pass.</summary>
    public static async Task StoreFirstRoundAsync(ArcBridgeAppFactory app)
    {
        await StoreAsync(app, "mgmt-lab", "Arc data plane", Verdict.Fail, ReasonCode.ProxyDenied, phase: Phase.Proxy);
        await StoreAsync(app, "vm-lab", "Arc data plane", Verdict.Pass, ReasonCode.Ok);
        await StoreAsync(app, "mgmt-lab", "Microsoft Container Registry", Verdict.Fail, ReasonCode.TlsInspected, phase: Phase.Tls,
            details: new ProbeDetails { Tls = new TlsDetails { Inspected = true, InterceptingIssuer = InspectingIssuer } });
        await StoreAsync(app, "mgmt-lab", "Time", Verdict.Fail, ReasonCode.NtpNoResponse, phase: Phase.Ntp);
        await StoreAsync(app, "mgmt-lab", "Key Vault", Verdict.Pass, ReasonCode.Ok, age: TimeSpan.FromHours(1));
    }

    private static MonitoredEndpoint Endpoint(string service, string pattern, int port, TransportProtocol protocol, Sources sources) => new()
    {
        Cloud = Cloud.AzureCloud, Key = $"{pattern}:{port}/{protocol.ToString().ToLowerInvariant()}", Service = service, Port = port,
        Protocol = protocol, HostPattern = pattern, Sources = sources, Purpose = "report test",
    };
}
