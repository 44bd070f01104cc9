namespace ArcBridgeDashboard.Web.Accounts;

/// <summary>An API key: only its SHA-256 is kept; the key itself is shown once when created.</summary>
public sealed class ApiKey
{
    public int Id { get; set; }
    public string Name { get; set; } = "";
    public string Role { get; set; } = DashboardRoles.Viewer;

    /// <summary>Lower-case hex SHA-256 of the whole key (unique).</summary>
    public string Hash { get; set; } = "";

    /// <summary>The key's first characters, so a user can tell keys apart without the secret.</summary>
    public string Prefix { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public string CreatedBy { get; set; } = "";
    public DateTimeOffset? RevokedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
}

/// <summary>One audited action: who did what, when. Detail never holds a secret.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    public string User { get; set; } = "";
    public string Action { get; set; } = "";
    public string Detail { get; set; } = "";
    public string? Address { get; set; }
}
