using ArcBridgeDashboard.Probes.Contracts;

namespace ArcBridgeDashboard.Web.Data;

/// <summary>One stored probe outcome. Raw rows are kept for the retention period; roll-ups keep the long view.</summary>
public sealed class Result
{
    public long Id { get; set; }
    /// <summary><see cref="ProbeResult.Id"/>: created where the probe ran; unique so ingest is idempotent.</summary>
    public Guid ResultId { get; set; }
    public long? SweepId { get; set; }
    public int AgentId { get; set; }
    public int TargetId { get; set; }
    public Target? Target { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public Verdict Verdict { get; set; }
    public Phase Phase { get; set; }
    public ReasonCode Reason { get; set; }
    public string Message { get; set; } = "";
    public string Remedy { get; set; } = "";
    public double TotalMs { get; set; }
    /// <summary><see cref="ProbeResult.TimingsMs"/> as JSON.</summary>
    public string TimingsJson { get; set; } = "{}";
    /// <summary><see cref="ProbeDetails"/> as JSON (<see cref="ProbeJson.Options"/>).</summary>
    public string DetailsJson { get; set; } = "{}";
}
