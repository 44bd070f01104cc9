using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Components.Pages.Settings;
using ArcBridgeDashboard.Web.Configuration;
using Bunit;

namespace ArcBridgeDashboard.Web.Tests.Components;

/// <summary>Settings tells, per field, which agents the value reaches; the cloud shows by its display name.</summary>
public sealed class SettingsScopeTests : DashboardComponentTest
{
    private IRenderedComponent<SettingsForm> RenderForm(DashboardSettings settings, List<SettingsFormModel>? saved = null) =>
        Render<SettingsForm>(p => p
            .Add(c => c.Value, SettingsFormMapper.ToForm(settings))
            .Add(c => c.Validate, SettingsFormMapper.Validate)
            .Add(c => c.OnSave, m => saved?.Add(m)));

    [Fact]
    public void Render_EveryField_SaysWhichAgentsItReaches()
    {
        var cut = RenderForm(new DashboardSettings());

        foreach (var (field, text) in SettingScopes.All)
            Assert.Equal(text, cut.Find($"[data-testid=scope-{field}]").TextContent.Trim());
        Assert.Equal(SettingScopes.All.Count, cut.FindAll("[data-testid^=scope-]").Count);
    }

    [Theory]
    [InlineData(SettingsFields.TrustedRootsPem, "Built-in and remote agents, added to an agent's own roots")]
    [InlineData(SettingsFields.ExpectedRootsPem, "Built-in and remote agents, added to an agent's own roots")]
    [InlineData(SettingsFields.Cloud, "Built-in and remote agents")]
    [InlineData(SettingsFields.PrivateCloudAddress, "Built-in and remote agents")]
    [InlineData(SettingsFields.ProxyUrl, "Built-in and remote agents, unless an agent has its own proxy")]
    [InlineData(SettingsFields.NewPassword, "Built-in and remote agents, unless an agent has its own proxy")]
    [InlineData(SettingsFields.NoProxy, "Built-in and remote agents")]
    [InlineData(SettingsFields.DnsServers, "Built-in and remote agents, unless an agent has its own DNS servers")]
    [InlineData(SettingsFields.IntervalMinutes, "Built-in and remote agents, unless an agent has its own interval")]
    [InlineData(SettingsFields.ApplianceVmIps, "Built-in and remote agents in the management machine role")]
    public void Render_Field_ShowsItsScopeInWords(string field, string expected)
    {
        var cut = RenderForm(new DashboardSettings());

        var caption = cut.Find($"[data-testid=scope-{field}]").TextContent;

        Assert.Equal(expected, caption.Trim());
        Assert.DoesNotContain("--", caption, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_GovernmentCloud_ShowsDisplayNameNeverTheEnumName()
    {
        var cut = RenderForm(new DashboardSettings { Cloud = Cloud.AzureGovernment });

        var input = cut.Find("[data-testid=field-cloud] input, input[data-testid=field-cloud]");

        Assert.Equal("Azure Government", input.GetAttribute("value"));
        Assert.DoesNotContain("AzureGovernment", cut.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("AzureCloud", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Save_PrivateCloudAddressWithPort_ShowsMessageUnderFieldAndDoesNotSave()
    {
        var saved = new List<SettingsFormModel>();
        var cut = RenderForm(new DashboardSettings(), saved);

        await cut.Find("[data-testid=field-private-cloud] input, input[data-testid=field-private-cloud]").ChangeAsync(new() { Value = "vcenter.corp:443" });
        await cut.Find("[data-testid=settings-save]").ClickAsync(new());

        Assert.Contains("Private cloud address 'vcenter.corp:443' is not a host name or IP address", cut.Markup);
        Assert.Empty(saved);
    }

    [Fact]
    public async Task Save_PrivateCloudHostName_IsSavedTrimmed()
    {
        var saved = new List<SettingsFormModel>();
        var cut = RenderForm(new DashboardSettings(), saved);

        await cut.Find("[data-testid=field-private-cloud] input, input[data-testid=field-private-cloud]").ChangeAsync(new() { Value = " vcenter.corp.example " });
        await cut.Find("[data-testid=settings-save]").ClickAsync(new());

        var (settings, errors) = SettingsFormMapper.FromForm(Assert.Single(saved));
        Assert.Empty(errors);
        Assert.Equal("vcenter.corp.example", settings!.PrivateCloudAddress);
    }

    [Fact]
    public async Task Save_GatewayHttpUrl_ShowsMessageUnderFieldAndDoesNotSave()
    {
        var saved = new List<SettingsFormModel>();
        var cut = RenderForm(new DashboardSettings(), saved);

        await cut.Find("[data-testid=field-gateway] input, input[data-testid=field-gateway]").ChangeAsync(new() { Value = "http://contoso.gw.arc.azure.com" });
        await cut.Find("[data-testid=settings-save]").ClickAsync(new());

        Assert.Contains("Arc gateway URL 'http://contoso.gw.arc.azure.com' is not an https:// URL", cut.Markup);
        Assert.Empty(saved);
    }

    [Fact]
    public async Task Save_GatewayHttpsUrl_IsSaved()
    {
        var saved = new List<SettingsFormModel>();
        var cut = RenderForm(new DashboardSettings(), saved);

        await cut.Find("[data-testid=field-gateway] input, input[data-testid=field-gateway]").ChangeAsync(new() { Value = "https://contoso.gw.arc.azure.com" });
        await cut.Find("[data-testid=settings-save]").ClickAsync(new());

        var (settings, errors) = SettingsFormMapper.FromForm(Assert.Single(saved));
        Assert.Empty(errors);
        Assert.Equal("https://contoso.gw.arc.azure.com", settings!.Gateway);
    }
}
