using ArcBridgeDashboard.Probes.Contracts;

namespace ArcBridgeDashboard.Probes.Sweeps;

/// <summary>
/// Which of a plan's targets are due now: every endpoint on its own interval (the plan's per-endpoint override, else
/// the plan's interval; an agent's own --interval wins over both), all targets of one endpoint together. The one
/// scheduler of every agent: remote agents and the dashboard's built-in agent run their plans through it.
/// Not thread-safe: one scheduler loop owns it.
/// </summary>
public sealed class PlanSchedule(TimeSpan? intervalOverride, TimeProvider time)
{
    /// <summary>Floor for intervals from a plan, so a bad setting cannot make an agent probe in a loop.</summary>
    public const int MinIntervalSeconds = 10;

    // Longest sleep, a safety net: a new plan also wakes the scheduler at once.
    public static readonly TimeSpan MaxSleep = TimeSpan.FromMinutes(1);

    private readonly DueSchedule<string> _schedule = new();

    /// <summary>The targets due now; their endpoints' next due times move on by their intervals.</summary>
    /// <param name="firstDue">When endpoints new to the schedule are first due (now when null or past).</param>
    public IReadOnlyList<ProbeTarget> TakeDue(AgentPlan plan, DateTimeOffset? firstDue = null)
    {
        var now = time.GetUtcNow();
        var due = _schedule.TakeDue(IntervalsOf(plan), now, firstDue ?? now);
        return [.. plan.Targets.Where(t => due.Contains(t.EndpointKey))];
    }

    /// <summary>After a check-now sweep over everything, every endpoint's interval starts again from now.</summary>
    public void RestartAll(AgentPlan plan) => _schedule.RestartAll(IntervalsOf(plan), time.GetUtcNow());

    public TimeSpan TimeToNext() => _schedule.SleepFrom(time.GetUtcNow(), MaxSleep);

    /// <summary>The plan's interval, floored, unless the agent overrides it.</summary>
    public TimeSpan IntervalOf(AgentPlan plan) => intervalOverride ?? TimeSpan.FromSeconds(Math.Max(MinIntervalSeconds, plan.IntervalSeconds));

    public Dictionary<string, TimeSpan> IntervalsOf(AgentPlan plan)
    {
        var fallback = IntervalOf(plan);
        var intervals = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        foreach (var key in plan.Targets.Select(t => t.EndpointKey).Distinct())
        {
            intervals[key] = intervalOverride is null && plan.EndpointIntervalSeconds.TryGetValue(key, out var seconds)
                ? TimeSpan.FromSeconds(Math.Max(MinIntervalSeconds, seconds))
                : fallback;
        }
        return intervals;
    }
}
