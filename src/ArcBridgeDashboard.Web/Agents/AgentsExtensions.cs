using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.SignalR;

namespace ArcBridgeDashboard.Web.Agents;

public static class AgentsExtensions
{
    public const string AgentPolicy = "Agent";

    /// <summary>Remote agents: enrolment, bearer auth, plan, ingest, live hub and commands.</summary>
    public static IHostApplicationBuilder AddArcBridgeAgents(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AgentOptions>()
            .BindConfiguration(AgentOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, AgentAuthenticationHandler>(AgentAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(AgentPolicy, p => p.AddAuthenticationSchemes(AgentAuthenticationHandler.SchemeName).RequireAuthenticatedUser());
        builder.Services.AddSignalR().AddHubOptions<AgentHub>(o => o.AddFilter<AgentRevocationHubFilter>());
        builder.Services.AddSingleton<AgentPresence>();
        builder.Services.AddSingleton<AgentCommandService>();
        builder.Services.AddSingleton<AgentCheckTracker>();
        builder.Services.AddSingleton<Monitoring.Status.AgentLiveness>();
        builder.Services.AddSingleton<AgentStatusQuery>();
        builder.Services.AddSingleton<RoleCoverage>();
        builder.Services.AddScoped<EnrollmentService>();
        builder.Services.AddScoped<AgentPlanBuilder>();
        return builder;
    }

    public static WebApplication MapArcBridgeAgents(this WebApplication app)
    {
        app.MapAgentApi();
        app.MapHub<AgentHub>(Probes.Contracts.AgentApi.HubPath);
        return app;
    }
}
