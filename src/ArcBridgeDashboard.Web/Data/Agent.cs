using ArcBridgeDashboard.Probes.Contracts;

namespace ArcBridgeDashboard.Web.Data;

/// <summary>Where probes run. The built-in agent (in the dashboard process) is seeded; remote agents enrol later.</summary>
public sealed class Agent
{
    public const int BuiltInId = 1;

    public int Id { get; set; }
    public required string Name { get; set; }
    public bool IsBuiltIn { get; set; }
    /// <summary>The source role(s) this agent stands for in the matrix.</summary>
    public Sources Role { get; set; }
    public string? Version { get; set; }
    public string? Os { get; set; }
    public string? Address { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastSeenAt { get; set; }
    /// <summary>Agent clock minus server clock, measured at the last contact.</summary>
    public double? ClockOffsetMs { get; set; }
    /// <summary>
    /// HTTPS servers' Date headers minus the agent's clock (median of the last batch or sweep that had any): the
    /// agent's clock against Azure's, known even where NTP is blocked. Positive: the agent's clock is behind.
    /// </summary>
    public double? ServerClockOffsetMs { get; set; }
    public int? OutboxDepth { get; set; }
    /// <summary>Hash of the agent's credential; the credential itself is never stored.</summary>
    public string? CredentialHash { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}
