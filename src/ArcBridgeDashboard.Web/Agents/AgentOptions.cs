using System.ComponentModel.DataAnnotations;

namespace ArcBridgeDashboard.Web.Agents;

/// <summary>Remote-agent limits and thresholds, section "ArcBridge:Agents".</summary>
public sealed class AgentOptions
{
    public const string SectionName = "ArcBridge:Agents";

    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00", ErrorMessage = "ArcBridge:Agents:EnrollmentTokenLifetime must be between 00:01:00 and 30.00:00:00.")]
    public TimeSpan EnrollmentTokenLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Results per batch above which ingest answers 413.</summary>
    [Range(1, 100_000, ErrorMessage = "ArcBridge:Agents:MaxBatchResults must be between 1 and 100000.")]
    public int MaxBatchResults { get; set; } = 1000;

    /// <summary>Request body size above which ingest answers 413.</summary>
    [Range(1024, 256 * 1024 * 1024, ErrorMessage = "ArcBridge:Agents:MaxBatchBytes must be between 1024 and 268435456.")]
    public int MaxBatchBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>The largest <c>details</c> object one result may carry (JSON bytes); a larger one refuses the batch.</summary>
    [Range(1024, 16 * 1024 * 1024, ErrorMessage = "ArcBridge:Agents:MaxDetailsBytes must be between 1024 and 16777216.")]
    public int MaxDetailsBytes { get; set; } = 64 * 1024;

    /// <summary>An agent heard from within this time is online; later it is stale, then offline.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00", ErrorMessage = "ArcBridge:Agents:OnlineWithin must be between 00:00:05 and 01:00:00.")]
    public TimeSpan OnlineWithin { get; set; } = TimeSpan.FromMinutes(2);

    [Range(typeof(TimeSpan), "00:00:10", "7.00:00:00", ErrorMessage = "ArcBridge:Agents:OfflineAfter must be between 00:00:10 and 7.00:00:00.")]
    public TimeSpan OfflineAfter { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Command poll interval handed to agents whose live connection is down.</summary>
    [Range(1, 300, ErrorMessage = "ArcBridge:Agents:PollSeconds must be between 1 and 300.")]
    public int PollSeconds { get; set; } = 10;

    /// <summary>A clock offset beyond this is flagged on the Agents page.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "ArcBridge:Agents:ClockOffsetWarning must be between 00:00:01 and 1.00:00:00.")]
    public TimeSpan ClockOffsetWarning { get; set; } = TimeSpan.FromSeconds(30);
}
