using ArcBridgeDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ArcBridgeDashboard.Web.Agents;

/// <summary>A single-use enrolment token. Only the SHA-256 of the token is stored; the admin sees it once.</summary>
public sealed class EnrollmentToken
{
    public int Id { get; set; }
    public required string TokenHash { get; set; }
    /// <summary>Admin's note (where the agent goes).</summary>
    public string? Note { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? UsedAt { get; set; }
    public int? UsedByAgentId { get; set; }
    /// <summary>Set when an admin revoked the token before it was used: it can no longer enrol an agent.</summary>
    public DateTimeOffset? RevokedAt { get; set; }
}

public sealed class EnrollmentTokenConfiguration : IEntityTypeConfiguration<EnrollmentToken>
{
    public void Configure(EntityTypeBuilder<EnrollmentToken> builder)
    {
        builder.ToTable("EnrollmentTokens");
        builder.HasIndex(t => t.TokenHash).IsUnique();
        builder.Property(t => t.TokenHash).HasMaxLength(64);
        builder.Property(t => t.Note).HasMaxLength(200);
        builder.HasOne<Agent>().WithMany().HasForeignKey(t => t.UsedByAgentId).OnDelete(DeleteBehavior.SetNull);
    }
}
