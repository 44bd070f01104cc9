using ArcBridgeDashboard.Web.Agents;
using ArcBridgeDashboard.Web.Configuration;
using ArcBridgeDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ArcBridgeDashboard.Web.Monitoring.Changes;

/// <summary>One agent of a check run: its pass once it started, its change summary once it finished.</summary>
public sealed record CheckRunAgent(int AgentId, string Name, long? SweepId, SweepChangeSummary? Changes, string? Error)
{
    public bool Finished => Changes is not null || Error is not null;
}

/// <summary>A Check now across every online agent, as it stands.</summary>
/// <param name="Annotations">What was annotated (by hand, or a Settings or allowlist change) since the previous run started.</param>
public sealed record CheckRunState(long Id, DateTimeOffset StartedAt, DateTimeOffset DeadlineAt, IReadOnlyList<CheckRunAgent> Agents, bool DeadlinePassed,
    IReadOnlyList<AnnotationView> Annotations)
{
    public bool AllFinished => Id != 0 && Agents.All(a => a.Finished);

    /// <summary>What changed can be shown: every agent finished, or the deadline passed (late agents are named).</summary>
    public bool Settled => AllFinished || DeadlinePassed;

    public IReadOnlyList<CheckRunAgent> Late => DeadlinePassed ? [.. Agents.Where(a => !a.Finished)] : [];

    public IReadOnlyList<CheckRunAgent> Waiting => [.. Agents.Where(a => !a.Finished)];

    private IEnumerable<ChangedTarget> All(Func<SweepChangeSummary, IReadOnlyList<ChangedTarget>> list) =>
        Agents.Where(a => a.Changes is not null).SelectMany(a => list(a.Changes!));

    public IReadOnlyList<ChangedTarget> NewlyFailing => [.. All(c => c.NewlyFailing)];
    public IReadOnlyList<ChangedTarget> Recovered => [.. All(c => c.Recovered)];
    public IReadOnlyList<ChangedTarget> ReasonChanged => [.. All(c => c.StillFailing).Where(t => t.ReasonChanged)];
    public IReadOnlyList<ChangedTarget> StillFailing => [.. All(c => c.StillFailing).Where(t => !t.ReasonChanged)];
    public IReadOnlyList<ChangedTarget> FirstCheckFailing => [.. All(c => c.FirstCheckFailing)];
}

/// <summary>
/// "Check now" as one run across every online agent: the built-in agent's sweep and each remote agent's check-now
/// pass. Its What changed waits for every agent or for <see cref="ArcBridgeOptions.CheckNowDeadline"/>, then names
/// the late ones, and keeps updating as their passes finish. A press while a run waits joins it.
/// </summary>
public sealed partial class CheckRunService : IDisposable
{
    private readonly IServiceScopeFactory _scopes;
    private readonly CheckNowService _builtIn;
    private readonly LiveStatusNotifier _notifier;
    private readonly IOptions<ArcBridgeOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<CheckRunService> _logger;
    private readonly Lock _gate = new();
    private readonly Lock _publishing = new();
    private Run? _run;

    public CheckRunService(IServiceScopeFactory scopes, CheckNowService builtIn, LiveStatusNotifier notifier, IOptions<ArcBridgeOptions> options,
        TimeProvider time, ILogger<CheckRunService> logger)
    {
        (_scopes, _builtIn, _notifier, _options, _time, _logger) = (scopes, builtIn, notifier, options, time, logger);
        notifier.SweepStarted += OnSweepStarted;
        notifier.SweepFinished += OnSweepFinished;
    }

    /// <summary>Raised (on whatever thread) whenever the current run moves: an agent finished, the deadline passed.</summary>
    public event Action<CheckRunState>? Changed;

    /// <summary>The latest run of this process; null before the first Check now.</summary>
    public CheckRunState? Current
    {
        get { lock (_gate) return _run?.State(); }
    }

    /// <summary>Starts a run (or joins the one still waiting) and returns as soon as every agent was asked.</summary>
    public async Task<CheckRunState> StartAsync(CancellationToken cancellationToken = default)
    {
        Run run;
        lock (_gate)
        {
            if (_run is { } waiting && !waiting.State().Settled)
                return waiting.State();
            // Set before any agent is asked: a fast agent's pass may arrive before the request returns.
            run = _run = new Run(_time.GetUtcNow(), _time.GetUtcNow() + _options.Value.CheckNowDeadline);
        }
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ArcBridgeDbContext>();
        var previous = await db.CheckRuns.AsNoTracking().OrderByDescending(r => r.StartedAt).Select(r => (DateTimeOffset?)r.StartedAt).FirstOrDefaultAsync(cancellationToken);
        var annotations = previous is { } since
            ? await scope.ServiceProvider.GetRequiredService<AnnotationsQuery>().InWindowAsync(since, run.StartedAt, cancellationToken)
            : [];

        var builtIn = _options.Value.BuiltInAgentEnabled ? _builtIn.CheckNow() : null;
        var remote = await scope.ServiceProvider.GetRequiredService<AgentCommandService>().CheckNowAllAsync(cancellationToken);
        var ids = (builtIn is null ? remote : [Agent.BuiltInId, .. remote]).ToList();
        var names = await db.Agents.AsNoTracking().Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Name, cancellationToken);
        var row = new CheckRun { StartedAt = run.StartedAt, DeadlineAt = run.DeadlineAt, AgentIds = string.Join(',', ids) };
        db.CheckRuns.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        lock (_gate)
            run.Begin(row.Id, [.. ids.Select(id => (id, names.GetValueOrDefault(id) ?? $"agent {id}"))], annotations);
        LogRunStarted(row.Id, ids.Count, _options.Value.CheckNowDeadline);

        run.Timer = _time.CreateTimer(_ => OnDeadline(run), null, _options.Value.CheckNowDeadline, Timeout.InfiniteTimeSpan);
        if (builtIn is not null)
            _ = FollowBuiltInAsync(run, builtIn);
        Publish(run);
        return run.State();
    }

    private async Task FollowBuiltInAsync(Run run, Task<SweepSummary> sweep)
    {
        try
        {
            var summary = await sweep;
            lock (_gate)
                run.Finish(Agent.BuiltInId, summary.SweepId, summary.Error is null ? summary.Changes : null, summary.Error);
        }
        catch (Exception ex)
        {
            lock (_gate)
                run.Finish(Agent.BuiltInId, null, null, ex.Message);
        }
        await CompleteIfDoneAsync(run);
        Publish(run);
    }

    // A remote agent's check-now pass is its first manual sweep after the run started.
    private void OnSweepStarted(SweepStartedEvent e)
    {
        if (e.AgentId == Agent.BuiltInId || e.Trigger != SweepTrigger.Manual)
            return;
        lock (_gate)
            _run?.Started(e.AgentId, e.SweepId);
    }

    private void OnSweepFinished(SweepFinishedEvent e)
    {
        var summary = e.Summary;
        if (summary.AgentId == Agent.BuiltInId)
            return;
        Run? run;
        lock (_gate)
        {
            run = _run;
            if (run is null || !run.Finish(summary.AgentId, summary.SweepId, summary.Error is null ? summary.Changes : null, summary.Error))
                return;
        }
        _ = CompleteIfDoneAsync(run).ContinueWith(_ => Publish(run), TaskScheduler.Default);
    }

    private void OnDeadline(Run run)
    {
        lock (_gate)
            run.DeadlinePassed = true;
        var late = run.State().Late;
        if (late.Count > 0)
            LogLate(run.Id, string.Join(", ", late.Select(a => a.Name)));
        Publish(run);
    }

    private async Task CompleteIfDoneAsync(Run run)
    {
        if (!run.State().AllFinished || run.Id == 0)
            return;
        try
        {
            await using var scope = _scopes.CreateAsyncScope();
            var now = _time.GetUtcNow();
            await scope.ServiceProvider.GetRequiredService<ArcBridgeDbContext>().CheckRuns.Where(r => r.Id == run.Id && r.CompletedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.CompletedAt, now));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogCompleteFailed(ex, run.Id);
        }
    }

    private void Publish(Run run)
    {
        // One publisher at a time, each taking the state inside: subscribers get the states in the order they happened.
        // Two threads publishing at once (a Check now returning while an agent finishes) could otherwise hand an open
        // page the older, unsettled state last, and it would show "Checking…" until the next run.
        lock (_publishing)
        {
            CheckRunState state;
            lock (_gate)
            {
                if (!ReferenceEquals(run, _run) || run.Id == 0)
                    return;
                state = run.State();
            }
            if (state.AllFinished)
                run.Timer?.Dispose();
            foreach (var handler in Changed?.GetInvocationList().Cast<Action<CheckRunState>>() ?? [])
            {
                try
                {
                    handler(state);
                }
                catch (Exception ex)
                {
                    LogSubscriberFailed(ex);
                }
            }
        }
    }

    public void Dispose()
    {
        _notifier.SweepStarted -= OnSweepStarted;
        _notifier.SweepFinished -= OnSweepFinished;
        _run?.Timer?.Dispose();
    }

    /// <summary>Mutable under <see cref="_gate"/>; <see cref="State"/> takes an immutable picture.</summary>
    private sealed class Run(DateTimeOffset startedAt, DateTimeOffset deadlineAt)
    {
        private readonly Dictionary<int, CheckRunAgent> _agents = [];
        // Passes seen before the agents asked were known (a fast agent).
        private readonly Dictionary<int, (long SweepId, SweepChangeSummary? Changes, string? Error, bool Finished)> _early = [];
        private IReadOnlyList<AnnotationView> _annotations = [];

        public long Id { get; private set; }
        public DateTimeOffset StartedAt { get; } = startedAt;
        public DateTimeOffset DeadlineAt { get; } = deadlineAt;
        public bool DeadlinePassed { get; set; }
        public ITimer? Timer { get; set; }

        public void Begin(long id, IReadOnlyList<(int Id, string Name)> agents, IReadOnlyList<AnnotationView> annotations)
        {
            Id = id;
            _annotations = annotations;
            foreach (var (agentId, name) in agents)
            {
                _agents[agentId] = _early.TryGetValue(agentId, out var seen)
                    ? new CheckRunAgent(agentId, name, seen.SweepId, seen.Finished ? seen.Changes : null, seen.Finished ? seen.Error : null)
                    : new CheckRunAgent(agentId, name, null, null, null);
            }
        }

        public void Started(int agentId, long sweepId)
        {
            if (Id == 0)
                _early.TryAdd(agentId, (sweepId, null, null, false));
            else if (_agents.TryGetValue(agentId, out var agent) && agent.SweepId is null)
                _agents[agentId] = agent with { SweepId = sweepId };
        }

        /// <returns>Whether this sweep was the agent's pass of this run.</returns>
        public bool Finish(int agentId, long? sweepId, SweepChangeSummary? changes, string? error)
        {
            changes ??= error is null ? SweepChangeSummary.Empty : null;
            if (Id == 0 && agentId != Agent.BuiltInId)
            {
                if (!_early.TryGetValue(agentId, out var seen) || seen.SweepId != sweepId)
                    return false;
                _early[agentId] = (seen.SweepId, changes, error, true);
                return true;
            }
            if (!_agents.TryGetValue(agentId, out var agent) || agent.Finished)
                return false;
            if (agentId != Agent.BuiltInId && agent.SweepId != sweepId)
                return false;
            _agents[agentId] = agent with { SweepId = sweepId ?? agent.SweepId, Changes = changes, Error = error };
            return true;
        }

        public CheckRunState State() => new(Id, StartedAt, DeadlineAt,
            [.. _agents.Values.OrderBy(a => a.AgentId != Agent.BuiltInId).ThenBy(a => a.Name, StringComparer.OrdinalIgnoreCase)], DeadlinePassed, _annotations);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Check run {RunId} started across {AgentCount} agent(s), deadline {Deadline}")]
    private partial void LogRunStarted(long runId, int agentCount, TimeSpan deadline);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Check run {RunId} deadline passed; still waiting for {LateAgents}")]
    private partial void LogLate(long runId, string lateAgents);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Check run {RunId}: could not record its completion")]
    private partial void LogCompleteFailed(Exception exception, long runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A check run subscriber failed")]
    private partial void LogSubscriberFailed(Exception exception);
}
