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
    private IReadOnlyList<AgentRow>? _agents;
    private CreatedToken? _created;
    private IReadOnlyList<OpenToken> _openTokens = [];
    private string? _message;
    private string _serverUrl = "";
    private string _lifetimeText = "";
    private DateTimeOffset _now;
    private ITimer? _timer;
    private bool _interactive;

    [Inject] private AgentStatusQuery Status { get; set; } = default!;
    [Inject] private AgentCommandService Commands { get; set; } = default!;
    [Inject] private AgentPresence Presence { get; set; } = default!;
    [Inject] private LiveStatusNotifier Notifier { get; set; } = default!;
    [Inject] private IServiceScopeFactory Scopes { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;
    [Inject] private IOptions<AgentOptions> Options { get; set; } = default!;
    [Inject] private Accounts.CircuitAccess Access { get; set; } = default!;
    [Inject] private Accounts.AuditLog Audit { get; set; } = default!;
    private bool _canOperate;
    private bool _canAdminister;

    protected override async Task OnInitializedAsync()
    {
        _canOperate = await Access.AllowsAsync(Accounts.Policies.CanOperate);
        _canAdminister = await Access.AllowsAsync(Accounts.Policies.CanAdminister);
        _serverUrl = Navigation.BaseUri.TrimEnd('/');
        var lifetime = Options.Value.EnrollmentTokenLifetime;
        _lifetimeText = lifetime.TotalHours >= 1
            ? (lifetime.TotalHours % 1 == 0 ? DisplayNames.Count((int)lifetime.TotalHours, "hour") : $"{lifetime.TotalHours:0.#} hours")
            : DisplayNames.Count((int)Math.Round(lifetime.TotalMinutes), "minute");
        await LoadAsync();
        Presence.Changed += OnPresenceChanged;
        Notifier.ResultArrived += OnResultArrived;
        _timer = Time.CreateTimer(_ => _ = InvokeAsync(RefreshAsync), null, RefreshEvery, RefreshEvery);
    }

    // Marks the page as live (after prerendering, once the circuit runs) so scripts and tests know clicks work.
    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender)
        {
            _interactive = true;
            StateHasChanged();
        }
    }

    private async Task LoadAsync()
    {
        _agents = await Status.ListAsync();
        if (_canAdminister)
        {
            await using var scope = Scopes.CreateAsyncScope();
            _openTokens = await scope.ServiceProvider.GetRequiredService<EnrollmentService>().ListOpenTokensAsync();
        }
        _now = Time.GetUtcNow();
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

    // Every action re-checks its policy: the circuit can send these events whatever buttons the page showed.
    private async Task<bool> RefusedAsync(string policy)
    {
        _message = await Access.RefusalAsync(policy);
        return _message is not null;
    }

    private async Task CreateTokenAsync(string? note)
    {
        if (await RefusedAsync(Accounts.Policies.CanAdminister))
            return;
        await using var scope = Scopes.CreateAsyncScope();
        var enrollment = scope.ServiceProvider.GetRequiredService<EnrollmentService>();
        _created = await enrollment.CreateTokenAsync(note);
        // Names the token by its number (never the token), so the agent it enrols is traced back to this entry.
        await Audit.WriteAsync(await Access.UserNameAsync(), Accounts.AuditActions.AgentTokenCreated,
            $"{Accounts.AuditLog.TokenDetail(_created.Id)}, " + (string.IsNullOrWhiteSpace(note) ? "no note" : $"note: {note.Trim()}"));
        _openTokens = await enrollment.ListOpenTokensAsync();
    }

    private async Task RevokeTokenAsync(int tokenId)
    {
        if (await RefusedAsync(Accounts.Policies.CanAdminister))
            return;
        await using (var scope = Scopes.CreateAsyncScope())
        {
            var enrollment = scope.ServiceProvider.GetRequiredService<EnrollmentService>();
            var revoked = await enrollment.RevokeTokenAsync(tokenId);
            if (revoked)
                await Audit.WriteAsync(await Access.UserNameAsync(), Accounts.AuditActions.AgentTokenRevoked, Accounts.AuditLog.TokenDetail(tokenId));
            _message = revoked ? "Enrolment token revoked; no agent can join with it." : "That token was used or revoked meanwhile.";
            _openTokens = await enrollment.ListOpenTokensAsync();
        }
        if (_created?.Id == tokenId)
            _created = null; // no longer show a token that cannot be used
    }

    private async Task CheckNowAsync(int agentId)
    {
        if (await RefusedAsync(Accounts.Policies.CanOperate))
            return;
        await Audit.WriteAsync(await Access.UserNameAsync(), Accounts.AuditActions.CheckTriggered, $"agent {AgentLabel(agentId)}");
        await Commands.CheckNowAsync(agentId);
        _message = $"Check now sent to {_agents?.FirstOrDefault(a => a.Id == agentId)?.Name ?? agentId.ToString(System.Globalization.CultureInfo.InvariantCulture)}.";
    }

    private async Task CheckNowAllAsync()
    {
        if (await RefusedAsync(Accounts.Policies.CanOperate))
            return;
        await Audit.WriteAsync(await Access.UserNameAsync(), Accounts.AuditActions.CheckTriggered, "all online agents");
        var reached = await Commands.CheckNowAllAsync();
        _message = reached.Count == 0 ? "No remote agent is online." : $"Check now sent to {DisplayNames.Count(reached.Count, "agent")}.";
    }

    private async Task RevokeAsync(int agentId)
    {
        if (await RefusedAsync(Accounts.Policies.CanAdminister))
            return;
        bool revoked;
        await using (var scope = Scopes.CreateAsyncScope())
            revoked = await scope.ServiceProvider.GetRequiredService<EnrollmentService>().RevokeAsync(agentId);
        if (revoked)
            await Audit.WriteAsync(await Access.UserNameAsync(), Accounts.AuditActions.AgentRevoked, $"agent {AgentLabel(agentId)}");
        _message = revoked ? "Agent revoked; its credential is refused from now on." : "That agent was revoked already or no longer exists.";
        await LoadAsync();
    }

    /// <summary>"7 'lab-vm'": the number and, when listed, the name the audit reader knows the agent by.</summary>
    private string AgentLabel(int agentId)
    {
        var id = agentId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return _agents?.FirstOrDefault(a => a.Id == agentId) is { } agent ? $"{id} '{agent.Name}'" : id;
    }

    public void Dispose()
    {
        Presence.Changed -= OnPresenceChanged;
        Notifier.ResultArrived -= OnResultArrived;
        _timer?.Dispose();
    }
}
