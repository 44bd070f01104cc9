using ArcBridgeDashboard.Web.Components.Shared;
using ArcBridgeDashboard.Web.Configuration;
using ArcBridgeDashboard.Web.Monitoring;
using ArcBridgeDashboard.Web.Monitoring.Changes;
using ArcBridgeDashboard.Web.Monitoring.Queries;
using ArcBridgeDashboard.Web.Monitoring.Status;
using Microsoft.AspNetCore.Components;

namespace ArcBridgeDashboard.Web.Components.Pages.Overview;

/// <summary>
/// Loads the overview, starts "Check now", and follows any sweep live through <see cref="LiveStatusNotifier"/>:
/// each arriving result re-reads the overview (it reads only the latest-result table, so this stays cheap).
/// </summary>
public partial class OverviewPage
{
    /// <summary>Results arrive in bursts; one refresh per burst keeps the circuit responsive.</summary>
    private static readonly TimeSpan RefreshCoalesce = TimeSpan.FromMilliseconds(200);

    private OverviewSnapshot _snapshot = OverviewSnapshot.Empty;
    private CheckProgress _progress = CheckProgress.Idle;
    private SweepChanges? _changes;
    private SetupProgress? _setup;
    private IReadOnlyList<AnnotationNote> _annotations = [];
    private IReadOnlyList<TrendPoint>? _trend;
    private IReadOnlyList<AnnotationNote> _trendAnnotations = [];
    private TrendRange _trendRange;
    private IReadOnlyList<ArcBridgeDashboard.Web.Agents.AgentCheckProgress> _agentChecks = [];
    private string? _readError;
    private string? _sweepError;

    /// <summary>A read error clears on the next good read; a sweep error stays until the next check starts.</summary>
    private string? Error => _sweepError ?? _readError;
    private long? _liveSweepId;
    private long? _runId;
    private int _refreshQueued;
    private bool _disposed;

    [Inject] private IServiceScopeFactory ScopeFactory { get; set; } = default!;
    [Inject] private Accounts.CircuitAccess Access { get; set; } = default!;
    [Inject] private Accounts.AuditLog Audit { get; set; } = default!;
    private bool _canOperate;
    [Inject] private LiveStatusNotifier Notifier { get; set; } = default!;
    [Inject] private CheckNowService CheckNow { get; set; } = default!;
    [Inject] private CheckRunService CheckRuns { get; set; } = default!;
    [Inject] private ArcBridgeDashboard.Web.Agents.AgentCheckTracker AgentChecks { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    /// <summary>Initial search text ("/?q=mcr"); typing does not rewrite the URL, which would race the keystrokes.</summary>
    [SupplyParameterFromQuery(Name = "q")] public string? Q { get; set; }

    /// <summary>Status filter, kept in the URL so on-call can share "/?status=Fail".</summary>
    [SupplyParameterFromQuery(Name = "status")] public string? StatusQuery { get; set; }

    private DisplayStatus? StatusFilter => Enum.TryParse<DisplayStatus>(StatusQuery, ignoreCase: true, out var s) ? s : null;

    protected override async Task OnInitializedAsync()
    {
        _canOperate = await Access.AllowsAsync(Accounts.Policies.CanOperate);
        Notifier.SweepStarted += OnSweepStarted;
        Notifier.ResultArrived += OnResultArrived;
        Notifier.SweepFinished += OnSweepFinished;
        _agentChecks = AgentChecks.Current;
        AgentChecks.Changed += OnAgentChecksChanged;
        CheckRuns.Changed += OnCheckRunChanged;
        if (CheckNow.IsRunning)
        {
            _progress = new CheckProgress(true, 0, 0);
        }
        if (CheckRuns.Current is { } run)
        {
            ShowRun(run);
        }
        await RefreshAsync();
    }

    private async Task RefreshAsync()
    {
        try
        {
            await using var scope = ScopeFactory.CreateAsyncScope();
            var settings = await scope.ServiceProvider.GetRequiredService<DashboardSettingsStore>().GetAsync();
            var model = await scope.ServiceProvider.GetRequiredService<OverviewQuery>()
                .GetAsync(Time.GetUtcNow(), TimeSpan.FromMinutes(settings.IntervalMinutes));
            var trendQuery = scope.ServiceProvider.GetRequiredService<ReadinessTrendQuery>();
            var history = await trendQuery.RecentHistoryAsync(Time.GetUtcNow());
            _snapshot = OverviewMapper.ToSnapshot(model, gatewayConfigured: !string.IsNullOrWhiteSpace(settings.Gateway), history);
            await LoadTrendAsync(scope.ServiceProvider);
            _setup = await scope.ServiceProvider.GetRequiredService<SetupProgressQuery>().GetAsync();
            var now = Time.GetUtcNow();
            _annotations = [.. (await scope.ServiceProvider.GetRequiredService<AnnotationsQuery>().InWindowAsync(now.AddHours(-24), now))
                .Reverse().Take(3).Select(OverviewMapper.ToNote)];
            _readError = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _readError = $"Could not read the overview: {ex.Message}";
        }
    }

    /// <summary>The trend and the annotations within its range, read again with every refresh and on the range toggle.</summary>
    private async Task LoadTrendAsync(IServiceProvider services)
    {
        var now = Time.GetUtcNow();
        var buckets = await services.GetRequiredService<ReadinessTrendQuery>().TrendAsync(now, _trendRange);
        _trend = [.. buckets.Select(OverviewMapper.ToPoint)];
        var from = buckets.Count > 0 ? buckets[0].Start : now;
        _trendAnnotations = [.. (await services.GetRequiredService<AnnotationsQuery>().InWindowAsync(from, now)).Select(OverviewMapper.ToNote)];
    }

    private async Task OnTrendRangeChanged(TrendRange range)
    {
        _trendRange = range;
        try
        {
            await using var scope = ScopeFactory.CreateAsyncScope();
            await LoadTrendAsync(scope.ServiceProvider);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _readError = $"Could not read the readiness trend: {ex.Message}";
        }
    }

    private async Task CheckNowAsync()
    {
        // Re-checked here: a Viewer's circuit can send this event even though the button is not shown.
        if (await Access.RefusalAsync(Accounts.Policies.CanOperate) is { } refusal)
        {
            _sweepError = refusal;
            return;
        }
        await Audit.WriteAsync(await Access.UserNameAsync(), Accounts.AuditActions.CheckTriggered, "from the overview");
        _changes = null;
        _sweepError = null;
        _progress = new CheckProgress(true, 0, 0);
        try
        {
            // One run across every online agent; its What changed arrives through CheckRuns.Changed. The state StartAsync
            // returns may be older than a Changed event this circuit already handled (a fast built-in pass settles the run
            // while StartAsync returns): the run's current state is shown, never the older picture.
            var started = await CheckRuns.StartAsync();
            ShowRun(CheckRuns.Current is { } current && current.Id == started.Id ? current : started);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _sweepError = $"Check now failed: {ex.Message}";
            _progress = CheckProgress.Idle;
        }
    }

    private async Task<string?> AnnotateAsync(string text)
    {
        if (await Access.RefusalAsync(Accounts.Policies.CanOperate) is { } refusal)
            return refusal;
        if (AnnotationService.Validate(text) is { } error)
        {
            return error;
        }
        await using (var scope = ScopeFactory.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<AnnotationService>().AddAsync(text, ArcBridgeDashboard.Web.Data.AnnotationKind.Operator);
        }
        await RefreshAsync();
        return null;
    }

    /// <summary>What changed waits for every agent of the run (or its deadline); until then the button stays busy.</summary>
    private void ShowRun(CheckRunState run)
    {
        _runId = run.Id;
        if (!run.Settled)
        {
            _changes = null;
            _progress = _progress with { Running = true };
            return;
        }
        _progress = CheckProgress.Idle;
        _changes = OverviewMapper.ToChanges(run, AgentChecks.Current.ToDictionary(c => c.AgentId));
        var builtIn = run.Agents.FirstOrDefault(a => a.AgentId == ArcBridgeDashboard.Web.Data.Agent.BuiltInId);
        _sweepError = builtIn?.Error is { } error ? $"The sweep failed: {error}" : null;
    }

    private void OnCheckRunChanged(CheckRunState run) => _ = InvokeAsync(async () =>
    {
        if (_disposed)
        {
            return;
        }
        // The run as it stands now, not as the notice carried it: a notice can be older than one handled before it.
        ShowRun(CheckRuns.Current is { } current && current.Id == run.Id ? current : run);
        await RefreshAsync();
        StateHasChanged();
    });

    // Notifier handlers run on the sweep's thread: hop onto the circuit's dispatcher and never throw.
    private void OnSweepStarted(SweepStartedEvent e) => _ = InvokeAsync(() =>
    {
        if (e.AgentId != ArcBridgeDashboard.Web.Data.Agent.BuiltInId)
        {
            return; // remote passes show as per-agent progress chips
        }
        _liveSweepId = e.SweepId;
        if (_runId is null)
        {
            _changes = null; // a Check now's summary stays until the next one
        }
        _progress = new CheckProgress(true, 0, e.TargetCount);
        StateHasChanged();
    });

    private void OnResultArrived(ResultArrivedEvent e) => _ = InvokeAsync(async () =>
    {
        if (e.SweepId == _liveSweepId)
        {
            _progress = _progress with { Running = true, Done = _progress.Done + 1 };
        }
        if (Interlocked.Exchange(ref _refreshQueued, 1) == 1)
        {
            return;
        }
        await Task.Delay(RefreshCoalesce);
        Interlocked.Exchange(ref _refreshQueued, 0);
        if (_disposed)
        {
            return;
        }
        await RefreshAsync();
        StateHasChanged();
    });

    private void OnSweepFinished(SweepFinishedEvent e) => _ = InvokeAsync(async () =>
    {
        if (_disposed)
        {
            return;
        }
        if (e.Summary.SweepId != _liveSweepId)
        {
            return; // a remote agent's pass: its changes come with the check run
        }
        _liveSweepId = null;
        // The button stays busy while a Check now still waits for other agents.
        _progress = CheckRuns.Current is { Settled: false } ? _progress with { Done = _progress.Total } : CheckProgress.Idle;
        if (_runId is null)
        {
            // No Check now yet in this page: the sweep's own summary.
            _changes = OverviewMapper.ToChanges(e.Summary.Changes);
        }
        await RefreshAsync();
        StateHasChanged();
    });

    private void OnAgentChecksChanged() => _ = InvokeAsync(() =>
    {
        _agentChecks = AgentChecks.Current;
        StateHasChanged();
    });

    private void OnStatusChanged(DisplayStatus? value) =>
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameter("status", value?.ToString()), replace: true);

    public void Dispose()
    {
        _disposed = true;
        Notifier.SweepStarted -= OnSweepStarted;
        Notifier.ResultArrived -= OnResultArrived;
        Notifier.SweepFinished -= OnSweepFinished;
        AgentChecks.Changed -= OnAgentChecksChanged;
        CheckRuns.Changed -= OnCheckRunChanged;
    }
}
