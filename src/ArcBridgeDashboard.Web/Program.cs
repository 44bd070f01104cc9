using ArcBridgeDashboard.Web.Agents;
using ArcBridgeDashboard.Web.Catalog;
using ArcBridgeDashboard.Web.Components;
using ArcBridgeDashboard.Web.Data;
using ArcBridgeDashboard.Web.Monitoring;
using ArcBridgeDashboard.Web.Operations;
using MudBlazor.Services;

var builder = WebApplication.CreateBuilder(args);

builder.AddArcBridgeOperations();
builder.AddArcBridgeData();
builder.AddArcBridgeCatalog();
builder.AddArcBridgeMonitoring();
builder.AddArcBridgeAgents();
builder.Services.AddRazorComponents()
    .AddInteractiveServerComponents();
builder.Services.AddMudServices();

var app = builder.Build();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error", createScopeForErrors: true);
}
app.UseArcBridgeOperations();
app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseAntiforgery();

app.MapStaticAssets();
app.MapArcBridgeAgents();
app.MapInspectionRootDownload();
app.MapRazorComponents<App>()
    .AddInteractiveServerRenderMode();

app.Run();

/// <summary>Entry point marker for WebApplicationFactory.</summary>
public partial class Program;
