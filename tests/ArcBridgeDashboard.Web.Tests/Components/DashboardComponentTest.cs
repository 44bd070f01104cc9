using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace ArcBridgeDashboard.Web.Tests.Components;

/// <summary>
/// Shared bunit setup: MudBlazor services, loose JS interop (MudBlazor calls JS for popovers and resize) and an
/// interactive server renderer, plus the popover provider that tooltips and selects render into.
/// </summary>
public abstract class DashboardComponentTest : BunitContext, IAsyncLifetime
{
    protected DashboardComponentTest()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        SetRendererInfo(new RendererInfo("Server", true));
        PopoverProvider = Render<MudPopoverProvider>();
    }

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    // MudBlazor services are IAsyncDisposable only; xunit 2 calls this before Dispose(), which then has nothing left to do.
    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();

    /// <summary>Where open popovers (select lists, tooltips) end up.</summary>
    protected IRenderedComponent<MudPopoverProvider> PopoverProvider { get; }
}
