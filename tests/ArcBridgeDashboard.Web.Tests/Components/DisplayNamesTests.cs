using System.Text.RegularExpressions;
using ArcBridgeDashboard.Probes.Catalog;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Agents;
using ArcBridgeDashboard.Web.Components.Pages.Agents;
using ArcBridgeDashboard.Web.Components.Pages.Allowlist;
using ArcBridgeDashboard.Web.Components.Pages.Sweeps;
using ArcBridgeDashboard.Web.Components.Shared;
using ArcBridgeDashboard.Web.Monitoring.Status;
using Bunit;

namespace ArcBridgeDashboard.Web.Tests.Components;

/// <summary>What the operator reads: names, not enum identifiers; the dashboard's settings, not the `check` command's options.</summary>
public sealed partial class DisplayNamesTests : DashboardComponentTest
{
    [Fact]
    public void ForDashboard_EveryRemedyAndMessageTemplate_NamesNoCommandLineOption()
    {
        var texts = ReasonCatalog.All.Values.SelectMany(i => new[] { i.Remedy, i.MessageTemplate });

        Assert.All(texts, t => Assert.DoesNotMatch(OwnOption(), DisplayNames.ForDashboard(t)!));
        Assert.Equal("Find the device presenting this certificate; if it is your private PKI, add its root to the trusted roots in Settings.",
            DisplayNames.ForDashboard(ReasonCatalog.Get(ReasonCode.TlsUntrustedRoot).Remedy));
    }

    [Fact]
    public void ForDashboard_ExpansionNotesWithoutSettings_NameTheSettingInstead()
    {
        var endpoints = DefaultCatalog.Load().Endpoints;
        var notes = TargetExpander.Expand(endpoints, new ProbeSettings { Region = "nowhere" })
            .Select(t => t.ExpansionNote).OfType<string>().Distinct().ToList();
        Assert.Contains(notes, n => n.Contains("--", StringComparison.Ordinal)); // the CLI wording this test is about

        Assert.All(notes, n => Assert.DoesNotMatch(OwnOption(), DisplayNames.ForDashboard(n)!));
        Assert.Contains("needs a hostname: no DNS server configured (DNS servers in Settings); the system resolver is still used by every HTTPS probe",
            notes.Select(DisplayNames.ForDashboard));
        Assert.Contains(notes.Select(DisplayNames.ForDashboard), n => n!.Contains("add the wildcard override \"*.pypi.org=HOST\" in Settings", StringComparison.Ordinal));
    }

    [Fact]
    public void ForDashboard_ArcsOwnProxyCertificateOption_IsKept()
    {
        // az arcappliance's option is where the operator must put the certificate; it is not one of ours.
        Assert.Equal(InterceptingRoot.ArcSetting, DisplayNames.ForDashboard(InterceptingRoot.ArcSetting));
    }

    [Fact]
    public void Render_CatalogRowNeedingHostname_ShowsTheSettingNotTheOption()
    {
        var cut = Render<CatalogTable>(p => p.Add(t => t.Rows, [
            new CatalogRow("DNS", 53, TransportProtocol.Udp, "Your DNS server IPs", null,
                "needs a hostname: no DNS server configured (--dns-server); the system resolver is still used by every HTTPS probe",
                Sources.ApplianceVm | Sources.ManagementMachine, "name resolution")]));

        Assert.Contains("(DNS servers in Settings)", cut.Markup);
        Assert.DoesNotContain("--dns-server", cut.Markup);
    }

    [Fact]
    public void Render_AgentRowsAndSweepRows_ShowRoleAndTriggerInWords()
    {
        var agents = Render<AgentTable>(p => p
            .Add(t => t.Agents, [new AgentRow(2, "vm-1", Sources.ApplianceVm, false, "1.0", "Linux", null, null, null, null, AgentState.Offline, false, false)])
            .Add(t => t.Now, DateTimeOffset.UtcNow));
        Assert.Contains("Appliance VM", agents.Find("[data-testid=agent-table] tbody").TextContent);
        Assert.DoesNotContain("ApplianceVm", agents.Find("[data-testid=agent-table] tbody").TextContent);

        var row = SweepMapper.ToRow(new Monitoring.Queries.SweepRow(7, 1, "built-in", Data.SweepTrigger.Schedule, DateTimeOffset.UtcNow, null, 3, 1, 1, 1));
        Assert.Equal("Scheduled", row.Trigger);
        Assert.False(row.IsManual);
    }

    [Theory]
    [InlineData(0, "0 results")]
    [InlineData(1, "1 result")]
    [InlineData(2, "2 results")]
    public void Count_One_IsSingular(int count, string expected) => Assert.Equal(expected, DisplayNames.Count(count, "result"));

    [Fact]
    public void Source_ColumnKeys_ReadAsRoles()
    {
        Assert.Equal("Appliance VM", DisplayNames.Source(nameof(Sources.ApplianceVm)));
        Assert.Equal("Management machine", DisplayNames.Source(nameof(Sources.ManagementMachine)));
    }

    // Any option of the dashboard's own tools; az arcappliance's --proxy-cert is Arc's, and allowed.
    [GeneratedRegex(@"--(?!proxy-cert\b)[a-z]")]
    private static partial Regex OwnOption();
}
