using System.Security.Claims;
using ArcBridgeDashboard.Web.Accounts;
using ArcBridgeDashboard.Web.Agents;
using ArcBridgeDashboard.Web.Catalog;
using ArcBridgeDashboard.Web.Configuration;
using ArcBridgeDashboard.Web.Notifications;
using ArcBridgeDashboard.Web.Reports;
using Bunit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace ArcBridgeDashboard.Web.Tests.Support;

/// <summary>
/// A page of the running app as a signed-in user's circuit runs it: bunit renders the real page component over the
/// app's own services (its SQLite file, singletons, policies), and the user is the app's real principal for that account
/// (Identity's claims, checked by the app's authorization service), so a page's handlers act, refuse and audit exactly
/// as they do in the browser. Each scope the page opens is a scope of the app.
/// </summary>
public sealed class AppCircuit : BunitContext
{
    /// <summary>The scoped services pages take from their own scopes (IServiceScopeFactory).</summary>
    private static readonly Type[] ScopedAppServices =
    [
        typeof(DashboardSettingsStore), typeof(CatalogImportService), typeof(EnrollmentService), typeof(UserAccounts),
        typeof(NotificationAdmin), typeof(ReportSnapshots),
    ];

    private AppCircuit(ArcBridgeAppFactory app, ClaimsPrincipal user)
    {
        Services.AddMudServices();
        Services.AddSingleton<AuthenticationStateProvider>(new FixedUser(user));
        Services.AddCascadingAuthenticationState();
        Services.AddScoped(sp => new CircuitAccess(sp.GetRequiredService<AuthenticationStateProvider>(), app.Services.GetRequiredService<IAuthorizationService>()));
        Services.AddScoped(_ => new PageScope(app.Services.CreateAsyncScope()));
        foreach (var type in ScopedAppServices)
            Services.AddScoped(type, sp => sp.GetRequiredService<PageScope>().Scope.ServiceProvider.GetRequiredService(type));
        // Anything else (the renderer's own services too) comes from one app scope that lives as long as this circuit.
        var circuitScope = app.Services.CreateAsyncScope();
        Services.AddSingleton(_ => new AppScope(circuitScope)); // made by the container, so disposed with it
        Services.AddFallbackServiceProvider(circuitScope.ServiceProvider);
        JSInterop.Mode = JSRuntimeMode.Loose;
        SetRendererInfo(new RendererInfo("Server", true));
        Services.GetRequiredService<AppScope>();
        Render<MudPopoverProvider>();
    }

    /// <summary>A circuit of <paramref name="userName"/> (an existing account) on <paramref name="app"/>.</summary>
    public static async Task<AppCircuit> OpenAsync(ArcBridgeAppFactory app, string userName)
    {
        var principal = await app.InScopeAsync(async sp =>
        {
            var signIn = sp.GetRequiredService<SignInManager<DashboardUser>>();
            var user = await signIn.UserManager.FindByNameAsync(userName) ?? throw new InvalidOperationException($"No user {userName}.");
            return await signIn.CreateUserPrincipalAsync(user);
        });
        return new AppCircuit(app, principal);
    }

    private sealed class FixedUser(ClaimsPrincipal user) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(user));
    }

    private class AppScope(AsyncServiceScope scope) : IAsyncDisposable
    {
        public AsyncServiceScope Scope => scope;

        public ValueTask DisposeAsync() => scope.DisposeAsync();
    }

    /// <summary>The app scope behind one scope a page opens.</summary>
    private sealed class PageScope(AsyncServiceScope scope) : AppScope(scope);
}
