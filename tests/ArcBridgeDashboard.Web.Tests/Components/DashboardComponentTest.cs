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
        // Services lock on first use (setting the renderer info is one): add a test's own services first.
        Services.AddMudServices();
        ConfigureServices(Services);
        JSInterop.Mode = JSRuntimeMode.Loose;
        SetRendererInfo(new RendererInfo("Server", true));
        PopoverProvider = Render<MudPopoverProvider>();
    }

    /// <summary>Extra services for a test class; runs before anything renders (derived field initialisers have run).</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    // MudBlazor services are IAsyncDisposable only; xunit 2 calls this before Dispose(), which then has nothing left to do.
    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await CleanupAsync();
    }

    /// <summary>Runs after the renderer and services are gone: delete files a test created.</summary>
    protected virtual Task CleanupAsync() => Task.CompletedTask;

    /// <summary>Where open popovers (select lists, tooltips) end up.</summary>
    protected IRenderedComponent<MudPopoverProvider> PopoverProvider { get; }
}
