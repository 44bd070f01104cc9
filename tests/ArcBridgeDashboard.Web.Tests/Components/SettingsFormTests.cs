using ArcBridgeDashboard.Web.Components.Pages.Settings;
using Bunit;

namespace ArcBridgeDashboard.Web.Tests.Components;

public sealed class SettingsFormTests : DashboardComponentTest
{
    private const string IntervalMessage = "Interval must be a whole number of minutes between 1 and 1440.";

    /// <summary>Stands in for the data layer's validator: the form only has to place whatever messages it returns.</summary>
    private static IReadOnlyDictionary<string, string> Validate(SettingsFormModel m) =>
        int.TryParse(m.IntervalMinutes, out var minutes) && minutes is >= 1 and <= 1440
            ? new Dictionary<string, string>()
            : new Dictionary<string, string> { [SettingsFields.IntervalMinutes] = IntervalMessage };

    private IRenderedComponent<SettingsForm> RenderForm(SettingsFormModel value, List<SettingsFormModel> saved) =>
        Render<SettingsForm>(p => p
            .Add(c => c.Value, value)
            .Add(c => c.Validate, Validate)
            .Add(c => c.OnSave, m => saved.Add(m)));

    [Fact]
    public async Task Save_InvalidInterval_ShowsMessageUnderFieldAndDoesNotSave()
    {
        var original = new SettingsFormModel { Region = "eastus", IntervalMinutes = "5" };
        var saved = new List<SettingsFormModel>();
        var cut = RenderForm(original, saved);

        await cut.Find("[data-testid=field-interval] input, input[data-testid=field-interval]").ChangeAsync(new() { Value = "0" });
        await cut.Find("[data-testid=settings-save]").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Contains(IntervalMessage, cut.Markup));
        Assert.NotNull(cut.Find("[data-testid=settings-errors]"));
        Assert.Empty(saved);
        Assert.Equal("5", original.IntervalMinutes);
    }

    [Fact]
    public async Task Save_ValidValues_HandsTheEditedCopyToOnSave()
    {
        var saved = new List<SettingsFormModel>();
        var cut = RenderForm(new SettingsFormModel { Region = "eastus", IntervalMinutes = "5" }, saved);

        await cut.Find("[data-testid=field-interval] input, input[data-testid=field-interval]").ChangeAsync(new() { Value = "15" });
        await cut.Find("[data-testid=settings-save]").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Single(saved));
        var model = saved[0];
        Assert.Equal("15", model.IntervalMinutes);
        Assert.Empty(cut.FindAll("[data-testid=settings-errors]"));
    }

    [Fact]
    public async Task Save_AfterFixingTheValue_MessageGoesAwayAndSaves()
    {
        var saved = new List<SettingsFormModel>();
        var cut = RenderForm(new SettingsFormModel { IntervalMinutes = "abc" }, saved);

        await cut.Find("[data-testid=settings-save]").ClickAsync(new());
        cut.WaitForAssertion(() => Assert.Contains(IntervalMessage, cut.Markup));

        await cut.Find("[data-testid=field-interval] input, input[data-testid=field-interval]").ChangeAsync(new() { Value = "10" });
        Assert.DoesNotContain(IntervalMessage, cut.Markup);
        await cut.Find("[data-testid=settings-save]").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Equal("10", Assert.Single(saved).IntervalMinutes));
    }

    [Fact]
    public void Render_StoredProxyPassword_IsNeverShownOnlyPlaceholder()
    {
        var saved = new List<SettingsFormModel>();
        var cut = RenderForm(new SettingsFormModel { HasStoredPassword = true, NewPassword = "" }, saved);

        var input = cut.Find("[data-testid=field-proxy-password] input");
        Assert.Equal("stored", input.GetAttribute("placeholder"));
        Assert.True(string.IsNullOrEmpty(input.GetAttribute("value")));
        Assert.Empty(cut.FindAll("input[type=password]"));
    }

    [Fact]
    public async Task Save_ClearStoredPassword_ReportsClear()
    {
        var saved = new List<SettingsFormModel>();
        var cut = RenderForm(new SettingsFormModel { HasStoredPassword = true }, saved);

        await cut.Find("[data-testid=proxy-password-clear]").ClickAsync(new());
        await cut.Find("[data-testid=settings-save]").ClickAsync(new());

        // Save validates before it calls back: wait for the call, not a fixed moment after the click.
        cut.WaitForAssertion(() => Assert.Single(saved));
        Assert.Equal(PasswordChange.Clear, saved[0].PasswordChange);
    }

    [Fact]
    public async Task Save_ReplaceStoredPassword_CarriesTheNewOne()
    {
        var saved = new List<SettingsFormModel>();
        var cut = RenderForm(new SettingsFormModel { HasStoredPassword = true }, saved);

        await cut.Find("[data-testid=proxy-password-replace]").ClickAsync(new());
        await cut.Find("[data-testid=field-proxy-password] input[type=password]").ChangeAsync(new() { Value = "s3cret" });
        await cut.Find("[data-testid=settings-save]").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Single(saved));
        var model = saved[0];
        Assert.Equal(PasswordChange.Replace, model.PasswordChange);
        Assert.Equal("s3cret", model.NewPassword);
    }
}
