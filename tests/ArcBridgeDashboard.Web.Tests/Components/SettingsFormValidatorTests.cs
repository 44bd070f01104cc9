using ArcBridgeDashboard.Web.Components.Pages.Settings;
using ArcBridgeDashboard.Web.Configuration;
using Bunit;

namespace ArcBridgeDashboard.Web.Tests.Components;

/// <summary>The settings form wired to the real validator, as the Settings page wires it.</summary>
public sealed class SettingsFormValidatorTests : DashboardComponentTest
{
    private IRenderedComponent<SettingsForm> RenderForm(List<SettingsFormModel> saved) =>
        Render<SettingsForm>(p => p
            .Add(c => c.Value, SettingsFormMapper.ToForm(new DashboardSettings { Region = "eastus" }))
            .Add(c => c.Validate, SettingsFormMapper.Validate)
            .Add(c => c.OnSave, m => saved.Add(m)));

    [Fact]
    public async Task Save_ProxyUrlWithoutScheme_ShowsValidatorMessageAndDoesNotSave()
    {
        var saved = new List<SettingsFormModel>();
        var cut = RenderForm(saved);

        await cut.Find("[data-testid=field-proxy-url] input, input[data-testid=field-proxy-url]").ChangeAsync(new() { Value = "proxy.corp:3128" });
        await cut.Find("[data-testid=settings-save]").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Contains("must be an absolute http:// or https:// URL", cut.Markup));
        Assert.Empty(saved);
    }

    [Fact]
    public async Task Save_IntervalNotANumber_ShowsParseMessageOnly()
    {
        var saved = new List<SettingsFormModel>();
        var cut = RenderForm(saved);

        await cut.Find("[data-testid=field-interval] input, input[data-testid=field-interval]").ChangeAsync(new() { Value = "five" });
        await cut.Find("[data-testid=settings-save]").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Contains("Interval 'five' is not a whole number.", cut.Markup));
        Assert.DoesNotContain("is out of range", cut.Markup);
        Assert.Empty(saved);
    }

    [Fact]
    public async Task Save_NoProxyWildcard_ShowsArcRuleAndDoesNotSave()
    {
        var saved = new List<SettingsFormModel>();
        var cut = RenderForm(saved);

        await cut.Find("textarea[data-testid=field-no-proxy]").ChangeAsync(new() { Value = "*.corp.example" });
        await cut.Find("[data-testid=settings-save]").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Contains("Arc does not support wildcards", cut.Markup));
        Assert.Empty(saved);
    }

    [Fact]
    public void FromForm_PasswordChoices_MapToKeepClearReplace()
    {
        var form = SettingsFormMapper.ToForm(new DashboardSettings { HasProxyPassword = true, ProxyUrl = "http://127.0.0.1:3128" });

        Assert.Null(SettingsFormMapper.FromForm(form).Settings!.NewProxyPassword);
        form.PasswordChange = PasswordChange.Clear;
        Assert.Equal("", SettingsFormMapper.FromForm(form).Settings!.NewProxyPassword);
        form.PasswordChange = PasswordChange.Replace;
        form.NewPassword = "n3w";
        Assert.Equal("n3w", SettingsFormMapper.FromForm(form).Settings!.NewProxyPassword);
    }

    [Fact]
    public void FromForm_OverridesAndLists_RoundTrip()
    {
        var settings = new DashboardSettings
        {
            Region = "westeurope", NoProxy = ["localhost", ".corp.example"], DnsServers = ["127.0.0.53"],
            WildcardOverrides = new Dictionary<string, string> { ["*.his.arc.azure.com"] = "gbl.his.arc.azure.com" },
        };

        var back = SettingsFormMapper.FromForm(SettingsFormMapper.ToForm(settings)).Settings!;

        Assert.Equal(settings.NoProxy, back.NoProxy);
        Assert.Equal(settings.DnsServers, back.DnsServers);
        Assert.Equal("gbl.his.arc.azure.com", back.WildcardOverrides["*.his.arc.azure.com"]);
    }

    [Theory]
    [InlineData("-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----", "the CERTIFICATE block 1 could not be read: its base64 text is damaged")]
    [InlineData("MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA", "no CERTIFICATE block found")]
    public async Task Save_BrokenOrMissingCertificateBlock_SaysWhichAndDoesNotSave(string pem, string expected)
    {
        var saved = new List<SettingsFormModel>();
        var cut = RenderForm(saved);

        await cut.Find("textarea[data-testid=field-trusted-roots]").ChangeAsync(new() { Value = pem });
        // The value reaches the form through the roots component: save once the form holds it.
        cut.WaitForAssertion(() => Assert.Contains("could not be read", cut.Find("[data-testid=field-trusted-roots-none]").TextContent));
        await cut.Find("[data-testid=settings-save]").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Contains(expected, cut.Markup));
        Assert.Empty(saved);
    }
}
