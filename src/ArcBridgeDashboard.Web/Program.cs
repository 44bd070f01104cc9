using ArcBridgeDashboard.Web.Components;
using ArcBridgeDashboard.Web.Catalog;
using ArcBridgeDashboard.Web.Data;
using MudBlazor.Services;

var builder = WebApplication.CreateBuilder(args);

builder.AddArcBridgeData();
builder.AddArcBridgeCatalog();

builder.Services.AddRazorComponents()
    .AddInteractiveServerComponents();
builder.Services.AddMudServices();

var app = builder.Build();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error", createScopeForErrors: true);
}
app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseAntiforgery();

app.MapStaticAssets();
app.MapRazorComponents<App>()
    .AddInteractiveServerRenderMode();

app.Run();

/// <summary>Entry point marker for WebApplicationFactory.</summary>
public partial class Program;
