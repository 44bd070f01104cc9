using ArcBridgeDashboard.Web.Agents;
using ArcBridgeDashboard.Web.Components.Shared;
using ArcBridgeDashboard.Web.Monitoring;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;

namespace ArcBridgeDashboard.Web.Components.Pages.Agents;

/// <summary>Agent list with live status, enrolment tokens, check-now and revoke. Refreshes on presence changes, results and every 5 s.</summary>
public sealed partial class AgentsPage
{
    private static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(5);
    private IReadOnlyList<AgentRow>? agents;
    private CreatedToken? created;
    private string? message;
    private string serverUrl = "";
    private string lifetimeText = "";
    private DateTimeOffset now;
    private ITimer? timer;
    private bool interactive;

    [Inject] private AgentStatusQuery Status { get; set; } = default!;
    [Inject] private AgentCommandService Commands { get; set; } = default!;
    [Inject] private AgentPresence Presence { get; set; } = default!;
    [Inject] private LiveStatusNotifier Notifier { get; set; } = default!;
    [Inject] private IServiceScopeFactory Scopes { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;
    [Inject] private IOptions<AgentOptions> Options { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        serverUrl = Navigation.BaseUri.TrimEnd('/');
        var lifetime = Options.Value.EnrollmentTokenLifetime;
        lifetimeText = lifetime.TotalHours >= 1
            ? (lifetime.TotalHours % 1 == 0 ? DisplayNames.Count((int)lifetime.TotalHours, "hour") : $"{lifetime.TotalHours:0.#} hours")
            : DisplayNames.Count((int)Math.Round(lifetime.TotalMinutes), "minute");
        await LoadAsync();
        Presence.Changed += OnPresenceChanged;
        Notifier.ResultArrived += OnResultArrived;
        timer = Time.CreateTimer(_ => _ = InvokeAsync(RefreshAsync), null, RefreshEvery, RefreshEvery);
    }

    // Marks the page as live (after prerendering, once the circuit runs) so scripts and tests know clicks work.
    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender)
        {
            interactive = true;
            StateHasChanged();
        }
    }

    private async Task LoadAsync()
    {
        agents = await Status.ListAsync();
        now = Time.GetUtcNow();
    }

    private async Task RefreshAsync()
    {
        await LoadAsync();
        StateHasChanged();
    }

    private void OnPresenceChanged(int agentId) => _ = InvokeAsync(RefreshAsync);

    private void OnResultArrived(ResultArrivedEvent e)
    {
        if (e.AgentId != Data.Agent.BuiltInId)
            _ = InvokeAsync(RefreshAsync);
    }

    private async Task CreateTokenAsync(string? note)
    {
        await using var scope = Scopes.CreateAsyncScope();
        created = await scope.ServiceProvider.GetRequiredService<EnrollmentService>().CreateTokenAsync(note);
    }

    private async Task CheckNowAsync(int agentId)
    {
        await Commands.CheckNowAsync(agentId);
        message = $"Check now sent to {agents?.FirstOrDefault(a => a.Id == agentId)?.Name ?? agentId.ToString(System.Globalization.CultureInfo.InvariantCulture)}.";
    }

    private async Task CheckNowAllAsync()
    {
        var reached = await Commands.CheckNowAllAsync();
        message = reached.Count == 0 ? "No remote agent is online." : $"Check now sent to {DisplayNames.Count(reached.Count, "agent")}.";
    }

    private async Task RevokeAsync(int agentId)
    {
        await using (var scope = Scopes.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<EnrollmentService>().RevokeAsync(agentId);
        message = "Agent revoked; its credential is refused from now on.";
        await LoadAsync();
    }

    public void Dispose()
    {
        Presence.Changed -= OnPresenceChanged;
        Notifier.ResultArrived -= OnResultArrived;
        timer?.Dispose();
    }
}
