using System.ComponentModel.DataAnnotations;

namespace ArcBridgeDashboard.Web.Accounts;

/// <summary>Sign-in settings under ArcBridge:Auth.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "ArcBridge:Auth";

    /// <summary>Sign-in and setup attempts allowed per client address in one <see cref="SignInWindow"/>.</summary>
    [Range(1, 100_000, ErrorMessage = "ArcBridge:Auth:SignInPermitLimit must be between 1 and 100000.")]
    public int SignInPermitLimit { get; set; } = 10;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "ArcBridge:Auth:SignInWindow must be between 00:00:01 and 1.00:00:00.")]
    public TimeSpan SignInWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long the first-start setup link stays valid.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00", ErrorMessage = "ArcBridge:Auth:SetupLinkLifetime must be between 00:01:00 and 30.00:00:00.")]
    public TimeSpan SetupLinkLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Signed-in sessions last this long without activity.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "90.00:00:00", ErrorMessage = "ArcBridge:Auth:SessionLifetime must be between 00:05:00 and 90.00:00:00.")]
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(12);
}
