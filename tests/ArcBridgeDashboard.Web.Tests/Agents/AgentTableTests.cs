using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Agents;
using ArcBridgeDashboard.Web.Components.Pages.Agents;
using ArcBridgeDashboard.Web.Monitoring.Status;
using ArcBridgeDashboard.Web.Tests.Components;
using Bunit;

namespace ArcBridgeDashboard.Web.Tests.Agents;

public sealed class AgentTableTests : DashboardComponentTest
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Render_AgentsInEachState_ShowsStatusRoleOffsetAndOutbox()
    {
        var cut = Render<AgentTable>(p => p
            .Add(t => t.Agents, [
                Row(2, "vm-1", AgentState.Online, offsetMs: -20, connected: true),
                Row(3, "vm-2", AgentState.Stale, offsetMs: 7_200_000, warning: true, outbox: 42),
                Row(4, "mgmt-1", AgentState.Revoked)])
            .Add(t => t.Now, Now));

        Assert.Equal("online · live", cut.Find("[data-testid=agent-status-vm-1]").TextContent.Trim());
        Assert.Equal("stale", cut.Find("[data-testid=agent-status-vm-2]").TextContent.Trim());
        Assert.Equal("revoked", cut.Find("[data-testid=agent-status-mgmt-1]").TextContent.Trim());
        Assert.Equal("-20 ms", cut.Find("[data-testid=agent-offset-vm-1]").TextContent.Trim());
        Assert.Contains("+120 min (agent ahead)", cut.Find("[data-testid=agent-offset-vm-2]").TextContent);
        Assert.Contains("mud-warning-text", cut.Find("[data-testid=agent-offset-vm-2]").ClassName);
        Assert.Contains("42", cut.Markup);
        Assert.Empty(cut.FindAll("[data-testid=agent-revoke-mgmt-1]")); // nothing to do for a revoked agent
    }

    [Fact]
    public void Render_AgentClockAgainstAzure_ShownBelowDashboardOffsetAndRedFromThirtyMinutes()
    {
        var cut = Render<AgentTable>(p => p
            .Add(t => t.Agents, [
                Row(2, "vm-1", AgentState.Online, offsetMs: -20) with { AzureClockOffsetMs = 1_500 },
                Row(3, "vm-2", AgentState.Online, offsetMs: 10) with { AzureClockOffsetMs = -2_460_000 },
                Row(4, "vm-3", AgentState.Online)])
            .Add(t => t.Now, Now));

        Assert.Equal("vs Azure +1.5 s", cut.Find("[data-testid=agent-azure-offset-vm-1]").TextContent.Trim());
        var late = cut.Find("[data-testid=agent-azure-offset-vm-2]");
        Assert.Equal("vs Azure -41 min (agent behind)", late.TextContent.Trim());
        Assert.Contains("mud-error-text", late.ClassName);
        Assert.Empty(cut.FindAll("[data-testid=agent-azure-offset-vm-3]")); // no HTTPS server has answered it yet
    }

    [Fact]
    public async Task RevokeClick_First_AsksToConfirmAndOnlySecondClickRevokes()
    {
        var revoked = new List<int>();
        var cut = Render<AgentTable>(p => p
            .Add(t => t.Agents, [Row(2, "vm-1", AgentState.Online)])
            .Add(t => t.Now, Now)
            .Add(t => t.OnRevoke, (int id) => revoked.Add(id)));

        await cut.Find("[data-testid=agent-revoke-vm-1]").ClickAsync(new());
        Assert.Empty(revoked);
        await cut.Find("[data-testid=agent-revoke-confirm-vm-1]").ClickAsync(new());

        Assert.Equal([2], revoked);
    }

    [Fact]
    public void Render_BuiltInAgent_ShowsThisDashboardAndItsLastSweepNotNever()
    {
        var builtIn = new AgentRow(1, "built-in", Sources.ManagementMachine, true, null, null, null, null, null, null, AgentState.Online, false, false,
            LastSweepAt: Now.AddMinutes(-3));
        var cut = Render<AgentTable>(p => p.Add(t => t.Agents, [builtIn]).Add(t => t.Now, Now));

        var lastSeen = cut.Find("[data-testid=agent-last-seen-built-in]").TextContent;
        Assert.Contains("this dashboard", lastSeen);
        Assert.Contains("last sweep 3 min ago", lastSeen);
        Assert.DoesNotContain("never", lastSeen);

        cut.Render(p => p.Add(t => t.Agents, [builtIn with { LastSweepAt = null }]));
        Assert.Contains("no sweep yet", cut.Find("[data-testid=agent-last-seen-built-in]").TextContent);
    }

    [Fact]
    public void Render_CreatedTokenWithNote_ShowsTheNoteAndExpiryWithTheToken()
    {
        var token = new CreatedToken(7, "abc123", new DateTimeOffset(2026, 11, 30, 6, 0, 0, TimeSpan.Zero), "rack 4, VM subnet 10.20.0.0/24");
        var cut = Render<EnrollmentTokenPanel>(p => p.Add(t => t.Created, token).Add(t => t.ServerUrl, "http://dashboard:5080"));

        Assert.Contains("rack 4, VM subnet 10.20.0.0/24", cut.Find("[data-testid=token-note-shown]").TextContent);
        Assert.Contains("valid until " + token.ExpiresAt.ToLocalTime().ToString("yyyy-MM-dd HH:mm"), cut.Find("[data-testid=token-expiry]").TextContent);
        Assert.Equal("abc123", cut.Find("[data-testid=token-value]").TextContent);
    }

    [Fact]
    public async Task Render_OpenTokens_ListsNoteAndExpiry_RevokeNamesTheToken()
    {
        var expires = new DateTimeOffset(2026, 11, 30, 6, 0, 0, TimeSpan.Zero);
        var revoked = new List<int>();
        var cut = Render<EnrollmentTokenPanel>(p => p
            .Add(t => t.OpenTokens, [new OpenToken(3, "rack 4", expires.AddDays(-1), expires), new OpenToken(4, null, expires.AddDays(-1), expires)])
            .Add(t => t.OnRevokeToken, id => revoked.Add(id)));

        var rows = cut.FindAll("[data-testid=open-token]");
        Assert.Equal(2, rows.Count);
        Assert.Contains("rack 4", rows[0].TextContent);
        Assert.Contains(expires.ToLocalTime().ToString("yyyy-MM-dd HH:mm"), rows[0].TextContent);
        Assert.Contains("(no note)", rows[1].TextContent);
        await cut.FindAll("[data-testid=revoke-token]")[0].ClickAsync(new());
        Assert.Equal([3], revoked);
    }

    [Fact]
    public void Render_NoOpenTokens_NoTokenTable()
    {
        var cut = Render<EnrollmentTokenPanel>();

        Assert.Empty(cut.FindAll("[data-testid=open-tokens]"));
    }

    private static AgentRow Row(int id, string name, AgentState state, double? offsetMs = null, bool connected = false, bool warning = false, int? outbox = 0) =>
        new(id, name, Sources.ApplianceVm, false, "1.0.0", "Linux", "127.0.0.1", Now.AddSeconds(-5), offsetMs, outbox, state, connected, warning);
}

public sealed class ReadinessGapBannerTests : DashboardComponentTest
{
    [Fact]
    public void Render_AllPassButRoleUncovered_ShowsGapAndIsNotGreen()
    {
        var cut = Render<ArcBridgeDashboard.Web.Components.Shared.ReadinessBanner>(p => p
            .Add(b => b.Passing, 10).Add(b => b.Total, 10).Add(b => b.Gaps, ["no agent covers Appliance VM"]));

        Assert.Contains("no agent covers Appliance VM", cut.Find("[data-testid=readiness-gaps]").TextContent);
        Assert.NotEqual("Success", cut.Find("[data-testid=readiness-banner]").GetAttribute("data-severity"));
    }
}
