using System.Net;
using ArcBridgeDashboard.Agent.Run;
using ArcBridgeDashboard.Agent.Tests.Support;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Probes.Sweeps;

namespace ArcBridgeDashboard.Agent.Tests.Run;

public sealed class PlanSettingsTests
{
    private static readonly AgentPlan Plan = new()
    {
        Version = "v1", AgentId = 2, Role = Sources.ApplianceVm, IntervalSeconds = 300, PhaseTimeoutSeconds = 3,
        Proxy = "http://127.0.0.1:3128", ProxyUser = "u", ProxyPassword = "p", DnsServers = ["127.0.0.53:5353"], NoProxy = [".corp"],
    };

    [Fact]
    public void ToProbeSettings_NoLocalOverrides_UsesTheDashboardsProxyDnsAndTimeout()
    {
        var settings = PlanSettings.ToProbeSettings(Plan, Options());

        Assert.Equal(new Uri("http://127.0.0.1:3128"), settings.Proxy);
        Assert.Equal("u", settings.ProxyUser);
        Assert.Equal([IPEndPoint.Parse("127.0.0.53:5353")], settings.DnsServers);
        Assert.Equal(TimeSpan.FromSeconds(3), settings.PhaseTimeout);
        Assert.Equal(TimeSpan.FromMinutes(5), new PlanSchedule(Options().Interval, TimeProvider.System).IntervalOf(Plan));
    }


    [Fact]
    public void ToProbeSettings_PlanGateway_IsTheProbesGatewayWhateverTheAgentsOwnProxy()
    {
        var plan = Plan with { Gateway = "https://contoso.gw.arc.azure.com" };

        Assert.Equal(new Uri("https://contoso.gw.arc.azure.com"), PlanSettings.ToProbeSettings(plan, Options()).Gateway);
        Assert.Null(PlanSettings.ToProbeSettings(Plan, Options()).Gateway);
    }

    [Fact]
    public void ToProbeSettings_AgentsOwnProxyDnsAndInterval_WinOverThePlanAndDropThePlansProxyCredentials()
    {
        var options = Options() with
        {
            Proxy = new Uri("http://127.0.0.2:8080"),
            DnsServers = [IPEndPoint.Parse("127.0.0.54:53")],
            Interval = TimeSpan.FromSeconds(30),
        };

        var settings = PlanSettings.ToProbeSettings(Plan, options);

        Assert.Equal(new Uri("http://127.0.0.2:8080"), settings.Proxy);
        Assert.Null(settings.ProxyPassword);
        Assert.Equal([IPEndPoint.Parse("127.0.0.54:53")], settings.DnsServers);
        Assert.Equal(TimeSpan.FromSeconds(30), new PlanSchedule(options.Interval, TimeProvider.System).IntervalOf(Plan));
    }

    [Fact]
    public void ToProbeSettings_PlanRootsAndAgentRoots_AreUnitedByThumbprint()
    {
        using var agentOwn = new TestCertificates();
        using var dashboards = new TestCertificates();
        var plan = Plan with
        {
            // The dashboard's root, plus the agent's own once more: that one must not count twice.
            TrustedRootsPem = dashboards.Root.ExportCertificatePem() + "\n" + agentOwn.Root.ExportCertificatePem(),
            ExpectedRootsPem = dashboards.Root.ExportCertificatePem(),
            Cloud = Cloud.AzureGovernment,
        };
        var options = Options() with { TrustedRoots = [agentOwn.Root], ExpectedRoots = [agentOwn.Root] };

        var settings = PlanSettings.ToProbeSettings(plan, options);

        Assert.Equal([agentOwn.Root.Thumbprint, dashboards.Root.Thumbprint], settings.TrustedRoots.Select(c => c.Thumbprint));
        Assert.Equal([agentOwn.Root.Thumbprint, dashboards.Root.Thumbprint], settings.ExpectedRoots!.Select(c => c.Thumbprint));
        Assert.Equal(Cloud.AzureGovernment, settings.Cloud);
    }

    [Fact]
    public void ToProbeSettings_OnlyThePlanHasRoots_UsesThePlans()
    {
        using var dashboards = new TestCertificates();
        var plan = Plan with { TrustedRootsPem = dashboards.Root.ExportCertificatePem(), ExpectedRootsPem = dashboards.Root.ExportCertificatePem() };

        var settings = PlanSettings.ToProbeSettings(plan, Options());

        Assert.Equal(dashboards.Root.Thumbprint, Assert.Single(settings.TrustedRoots).Thumbprint);
        Assert.Equal(dashboards.Root.Thumbprint, Assert.Single(settings.ExpectedRoots!).Thumbprint);
    }

    [Fact]
    public void ToProbeSettings_NoRootsAnywhere_ShippedExpectedListOnlyAndNoTrustedRoots()
    {
        var settings = PlanSettings.ToProbeSettings(Plan, Options());

        Assert.Empty(settings.TrustedRoots);
        Assert.Null(settings.ExpectedRoots);
        Assert.Equal(Cloud.AzureCloud, settings.Cloud);
    }

    private static RunOptions Options() => new()
    {
        Server = new Uri("http://127.0.0.1:5000"), Name = "a", Role = Sources.ApplianceVm, StateDirectory = "/tmp/unused",
    };
}
