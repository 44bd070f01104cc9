using ArcBridgeDashboard.Web.Components.Shared;
using Q = ArcBridgeDashboard.Web.Monitoring.Queries;

namespace ArcBridgeDashboard.Web.Components.Pages.Sweeps;

public static class SweepMapper
{
    public static SweepRow ToRow(Q.SweepRow s) =>
        new(s.Id, s.Trigger.DisplayName(), s.AgentName, s.StartedAt, s.Duration, s.PassCount, s.WarnCount, s.FailCount)
        {
            IsManual = s.Trigger == Data.SweepTrigger.Manual,
        };
}
