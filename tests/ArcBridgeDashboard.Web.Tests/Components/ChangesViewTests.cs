using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Components.Pages.Changes;
using ArcBridgeDashboard.Web.Components.Shared;
using Bunit;

namespace ArcBridgeDashboard.Web.Tests.Components;

/// <summary>The What changed view and the check-now summary: service and host apart, reasons, late agents, annotations.</summary>
public sealed class ChangesViewTests : DashboardComponentTest
{
    private static readonly DateTimeOffset At = new(2026, 12, 6, 14, 5, 0, TimeSpan.Zero);

    private static ChangeLine Line(string agent, Verdict? from, Verdict to, ReasonCode reason, ReasonCode? fromReason = null) => new(
        1, At.AddMinutes(10), "Azure CLI", "files.pythonhosted.org", "files.pythonhosted.org:443/tcp", 12, agent, "Appliance VM",
        from.DisplayName(), ((Verdict?)to).DisplayName(), to, reason, fromReason, "The proxy denied CONNECT", false);

    [Fact]
    public void Render_Lines_ShowServiceHostAgentAndAReasonChangeOfItsOwn()
    {
        var model = new ChangesViewModel(At, At.AddHours(1), ChangeWindowPreset.SinceLastAnnotation,
            [Line("vm-remote", Verdict.Pass, Verdict.Fail, ReasonCode.ProxyDenied), Line("vm-remote (revoked agent)", Verdict.Fail, Verdict.Fail, ReasonCode.ProxyAuthRequired, ReasonCode.ProxyDenied)],
            [new AnnotationNote(At, "proxy change CHG-1234", "Operator")], ["Azure CLI"], [(3, "vm-remote")], new AnnotationNote(At, "proxy change CHG-1234", "Operator"));

        var cut = Render<ChangesView>(p => p.Add(c => c.Model, model).Add(c => c.OnAnnotate, _ => Task.FromResult<string?>(null)));

        Assert.Equal(["Azure CLI", "Azure CLI"], cut.FindAll("[data-testid=change-line-service]").Select(e => e.TextContent.Trim()));
        Assert.Equal("files.pythonhosted.org:443/tcp", cut.Find("[data-testid=change-line-host]").TextContent.Trim());
        Assert.Equal(["Pass → Fail", "still failing, now ProxyAuthRequired instead of ProxyDenied"],
            cut.FindAll("[data-testid=change-line-change]").Select(e => e.TextContent.Trim()));
        Assert.Contains("vm-remote (revoked agent)", cut.FindAll("[data-testid=change-line-agent]").Select(e => e.TextContent.Trim()));
        Assert.Contains("proxy change CHG-1234", cut.Find("[data-testid=change-annotation]").TextContent);
        Assert.Contains("since “proxy change CHG-1234”", cut.Find("[data-testid=change-window]").TextContent);
        Assert.DoesNotContain("ApplianceVm", cut.Markup); // display names only
    }

    [Fact]
    public async Task Render_EveryTimeIsUtcAndSaysSo_AndATypedWindowIsReadAsUtc()
    {
        var model = new ChangesViewModel(At, At.AddHours(1), ChangeWindowPreset.Custom, [Line("vm-remote", Verdict.Pass, Verdict.Fail, ReasonCode.ProxyDenied)],
            [new AnnotationNote(At, "proxy change CHG-1234", "Operator")], ["Azure CLI"], [(3, "vm-remote")], null);
        var windows = new List<(DateTimeOffset? From, DateTimeOffset? To)>();

        var cut = Render<ChangesView>(p => p.Add(c => c.Model, model).Add(c => c.OnAnnotate, _ => Task.FromResult<string?>(null))
            .Add(c => c.WindowChanged, (Action<(DateTimeOffset? From, DateTimeOffset? To)>)windows.Add));

        Assert.Equal("From 2026-12-06 14:05 UTC to 2026-12-06 15:05 UTC", cut.Find("[data-testid=change-window]").TextContent.Trim());
        Assert.Contains("2026-12-06 14:05 UTC", cut.Find("[data-testid=change-annotation]").TextContent, StringComparison.Ordinal);
        Assert.Contains("When (UTC)", cut.Find("[data-testid=change-table] thead").TextContent, StringComparison.Ordinal);
        Assert.Matches(@"2026-12-06\s+14:15:00", cut.Find("[data-testid=change-table] tbody tr").TextContent);
        Assert.Contains("From (UTC)", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("To (UTC)", cut.Markup, StringComparison.Ordinal);
        var from = cut.Find("div[data-testid=change-from] input, input[data-testid=change-from]");
        Assert.Equal("2026-12-06T14:05", from.GetAttribute("value"));

        await from.ChangeAsync(new() { Value = "2026-12-06T09:30" });

        cut.WaitForAssertion(() => Assert.Single(windows));
        Assert.Equal(new DateTimeOffset(2026, 12, 6, 9, 30, 0, TimeSpan.Zero), windows[0].From);
    }

    [Fact]
    public void Render_NoAnnotationYet_SinceLastAnnotationIsDisabledAndAnEmptyWindowSaysSo()
    {
        var model = ChangesViewModel.Empty with { From = At, To = At.AddHours(24) };

        var cut = Render<ChangesView>(p => p.Add(c => c.Model, model).Add(c => c.OnAnnotate, _ => Task.FromResult<string?>(null)));

        Assert.True(cut.Find("[data-testid=preset-SinceLastAnnotation]").HasAttribute("disabled"));
        Assert.Equal("Nothing changed in this window.", cut.Find("[data-testid=change-none]").TextContent.Trim());
    }

    [Fact]
    public async Task Annotate_EmptyText_ShowsTheSentenceAndSavesNothing()
    {
        var saved = new List<string>();
        var cut = Render<AnnotateForm>(p => p.Add(c => c.OnAnnotate, text =>
        {
            var error = Web.Monitoring.Changes.AnnotationService.Validate(text);
            if (error is null)
                saved.Add(text);
            return Task.FromResult(error);
        }));

        await cut.Find("[data-testid=annotation-save]").ClickAsync(new());
        cut.WaitForAssertion(() => Assert.Contains("Write what happened", cut.Markup));
        await cut.Find("div[data-testid=annotation-text] input, input[data-testid=annotation-text]").InputAsync(new() { Value = "proxy change CHG-1234" });
        await cut.Find("[data-testid=annotation-save]").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Equal("Annotated: proxy change CHG-1234", cut.Find("[data-testid=annotation-saved]").TextContent.Trim()));
        Assert.Equal(["proxy change CHG-1234"], saved);
    }

    [Fact]
    public void Summary_RunAcrossAgents_SeparatesServiceAndHostNamesLateAgentsAnnotationsAndTheBannerCount()
    {
        var changes = new SweepChanges(
            [new("files.pythonhosted.org:443/tcp", "Azure CLI", SampleRows.Vm, ReasonCode.ProxyDenied, 12, "files.pythonhosted.org", "vm-remote")], [], [])
        {
            ReasonChanged = [new("mcr.microsoft.com:443/tcp", "MCR", SampleRows.Mm, ReasonCode.ProxyAuthRequired, 3, "mcr.microsoft.com", "built-in", ReasonCode.ProxyDenied)],
            LateAgents = ["vm-slow (8/20)"],
            Agents = ["built-in", "vm-remote"],
            Annotations = [new AnnotationNote(At, "Settings saved: proxy URL changed from a to b", "Settings change")],
        };

        var cut = Render<ChangeSummary>(p => p.Add(c => c.Changes, changes).Add(c => c.Failing, 20).Add(c => c.Total, 40));

        var item = cut.Find("[data-testid=newly-failing-item]");
        Assert.Equal("Azure CLI", item.QuerySelector("[data-testid=change-service]")!.TextContent.Trim());
        Assert.Equal("files.pythonhosted.org:443/tcp", item.QuerySelector("[data-testid=change-target]")!.TextContent.Trim());
        Assert.DoesNotContain("Azure CLIfiles", item.TextContent);
        Assert.Contains("vm-remote (Appliance VM)", item.TextContent);
        Assert.Contains("still failing, now ProxyAuthRequired instead of ProxyDenied", cut.Find("[data-testid=reason-changed-item]").TextContent);
        Assert.Contains("vm-slow (8/20)", cut.Find("[data-testid=change-summary-late]").TextContent);
        Assert.Contains("proxy URL changed from a to b", cut.Find("[data-testid=change-summary-annotation]").TextContent);
        Assert.Equal("Now 20 of 40 required endpoint × source checks fail.", cut.Find("[data-testid=change-summary-now]").TextContent.Trim());
    }
}
