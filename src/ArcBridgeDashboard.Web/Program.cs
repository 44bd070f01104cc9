using ArcBridgeDashboard.Web.Accounts;
using ArcBridgeDashboard.Web.Agents;
using ArcBridgeDashboard.Web.Api;
using ArcBridgeDashboard.Web.Catalog;
using ArcBridgeDashboard.Web.Components;
using ArcBridgeDashboard.Web.Data;
using ArcBridgeDashboard.Web.Hardening;
using ArcBridgeDashboard.Web.Monitoring;
using ArcBridgeDashboard.Web.Notifications;
using ArcBridgeDashboard.Web.Operations;
using ArcBridgeDashboard.Web.Reports;
using ArcBridgeDashboard.Web.Scale;
using ArcBridgeDashboard.Web.Secrets;
using MudBlazor.Services;

var builder = WebApplication.CreateBuilder(args);

builder.AddArcBridgeOperations();
builder.AddArcBridgeData();
// After the data (its hosted service reads the migrated database for users) and before the agents (their scheme joins ours).
builder.AddArcBridgeAccounts();
builder.AddArcBridgeSecrets();
builder.AddArcBridgeCatalog();
builder.AddArcBridgeMonitoring();
builder.AddArcBridgeAgents();
// Several replicas: the leader lease, and with ArcBridge:Redis the backplane and the live-event relay.
builder.AddArcBridgeScale();
builder.AddArcBridgeApi();
// Before reports: its e-mail delivery replaces the reports module's logging default.
builder.AddArcBridgeNotifications();
builder.AddArcBridgeReports();
builder.AddArcBridgeHardening();
builder.Services.AddRazorComponents()
    .AddInteractiveServerComponents()
    // A text field sends its whole value in one message. SignalR's default of 32 KB dropped the live connection
    // without a word when a long allowlist or a CA bundle was pasted; 2 MB carries the import's own limit
    // (ImportPanel.MaxMarkdownChars, even at 6 bytes a character once JSON-escaped), and the import says in words
    // when a paste is larger.
    .AddHubOptions(options => options.MaximumReceiveMessageSize = 2 * 1024 * 1024);
builder.Services.AddMudServices();

var app = builder.Build();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error", createScopeForErrors: true);
}
// First: the request log, rate limits, audit log and /metrics then see the client behind a trusted proxy.
app.UseArcBridgeForwardedHeaders();
app.UseArcBridgeOperations();
app.UseArcBridgeHardening();
app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseRouting();
app.UseArcBridgeAccounts();
app.UseAntiforgery();

// Styles, scripts and images are public: the sign-in page needs them before anyone is signed in.
app.MapStaticAssets().AllowAnonymous();
app.MapArcBridgeAccounts();
app.MapArcBridgeAgents();
app.MapInspectionRootDownload();
app.MapArcBridgeApiAndMetrics();
app.MapArcBridgeReports();
app.MapRazorComponents<App>()
    .AddInteractiveServerRenderMode();

app.Run();

/// <summary>Entry point marker for WebApplicationFactory.</summary>
public partial class Program;
