using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Probes.Sweeps;

namespace ArcBridgeDashboard.Agent.Run;

/// <summary>
/// Which of the plan's targets are due now: every endpoint on its own interval (the plan's per-endpoint override,
/// else the plan's interval; this machine's --interval wins over both). Uses the same <see cref="DueSchedule{TKey}"/>
/// as the dashboard's built-in agent, keyed by endpoint so all targets of one endpoint are probed together.
/// </summary>
public sealed class TargetSchedule(RunOptions options, TimeProvider time)
{
    // Longest sleep, a safety net: a new plan also wakes the scheduler at once (SweepScheduler).
    public static readonly TimeSpan MaxSleep = TimeSpan.FromMinutes(1);

    private readonly DueSchedule<string> schedule = new();

    /// <summary>The targets due now; their endpoints' next due times move on by their intervals.</summary>
    public IReadOnlyList<ProbeTarget> TakeDue(AgentPlan plan)
    {
        var now = time.GetUtcNow();
        var due = schedule.TakeDue(IntervalsOf(plan), now, now);
        return [.. plan.Targets.Where(t => due.Contains(t.EndpointKey))];
    }

    /// <summary>After a check-now sweep over everything, every endpoint's interval starts again from now.</summary>
    public void RestartAll(AgentPlan plan) => schedule.RestartAll(IntervalsOf(plan), time.GetUtcNow());

    public TimeSpan TimeToNext() => schedule.SleepFrom(time.GetUtcNow(), MaxSleep);

    public Dictionary<string, TimeSpan> IntervalsOf(AgentPlan plan)
    {
        var fallback = PlanSettings.IntervalOf(plan, options);
        var intervals = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        foreach (var key in plan.Targets.Select(t => t.EndpointKey).Distinct())
        {
            intervals[key] = options.Interval is null && plan.EndpointIntervalSeconds.TryGetValue(key, out var seconds)
                ? TimeSpan.FromSeconds(Math.Max(PlanSettings.MinIntervalSeconds, seconds))
                : fallback;
        }
        return intervals;
    }
}
