using Q = ArcBridgeDashboard.Web.Monitoring.Queries;

namespace ArcBridgeDashboard.Web.Components.Pages.Sweeps;

public static class SweepMapper
{
    public static SweepRow ToRow(Q.SweepRow s) =>
        new(s.Id, s.Trigger.ToString(), s.AgentName, s.StartedAt, s.Duration, s.PassCount, s.WarnCount, s.FailCount);
}
