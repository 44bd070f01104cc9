using ArcBridgeDashboard.Web.Components.Shared;
using Bunit;
using Microsoft.AspNetCore.Components;

namespace ArcBridgeDashboard.Web.Tests.Components;

public sealed class CheckNowButtonTests : DashboardComponentTest
{
    [Fact]
    public void Render_Prerendered_IsDisabledAndSaysConnecting()
    {
        SetRendererInfo(new RendererInfo("Static", false));

        var cut = Render<CheckNowButton>();

        var button = cut.Find("[data-testid=check-now]");
        Assert.True(button.HasAttribute("disabled"));
        Assert.Contains("Connecting…", button.TextContent);
        Assert.Contains("Connecting…", button.GetAttribute("title"));
    }

    [Fact]
    public async Task Render_Interactive_IsEnabledAndClickRaisesOnClick()
    {
        SetRendererInfo(new RendererInfo("Server", true));
        var clicks = 0;

        var cut = Render<CheckNowButton>(p => p.Add(c => c.OnClick, () => clicks++));
        var button = cut.Find("[data-testid=check-now]");
        await button.ClickAsync(new());

        Assert.False(button.HasAttribute("disabled"));
        Assert.Contains("Check now", button.TextContent);
        Assert.Null(button.GetAttribute("title"));
        Assert.Equal(1, clicks);
    }
}
