using System.ComponentModel.DataAnnotations;

namespace ArcBridgeDashboard.Web.Hardening;

/// <summary>
/// ArcBridge:RateLimits. Enrolment is anonymous (a token guesser), ingest is per agent (one agent must not hold the
/// write path); past the limit the answer is 429 with Retry-After, and an agent keeps its batch and sends it later.
/// </summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "ArcBridge:RateLimits";

    /// <summary>Enrolment attempts per client address per <see cref="EnrollWindow"/>.</summary>
    [Range(1, 100_000, ErrorMessage = "ArcBridge:RateLimits:EnrollPermitLimit must be between 1 and 100000.")]
    public int EnrollPermitLimit { get; set; } = 10;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "ArcBridge:RateLimits:EnrollWindow must be between 00:00:01 and 1.00:00:00.")]
    public TimeSpan EnrollWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Result batches per agent per <see cref="IngestWindow"/>. An agent sends a few batches a sweep, and after an
    /// outage its whole outbox in batches of 500: 120 a minute is 60,000 results a minute per agent.
    /// </summary>
    [Range(1, 1_000_000, ErrorMessage = "ArcBridge:RateLimits:IngestPermitLimit must be between 1 and 1000000.")]
    public int IngestPermitLimit { get; set; } = 120;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "ArcBridge:RateLimits:IngestWindow must be between 00:00:01 and 1.00:00:00.")]
    public TimeSpan IngestWindow { get; set; } = TimeSpan.FromMinutes(1);
}
