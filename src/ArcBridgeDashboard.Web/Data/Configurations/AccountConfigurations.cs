using ArcBridgeDashboard.Web.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ArcBridgeDashboard.Web.Data.Configurations;

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> builder)
    {
        builder.Property(k => k.Name).HasMaxLength(100);
        builder.Property(k => k.Role).HasMaxLength(20);
        builder.Property(k => k.Hash).HasMaxLength(64);
        builder.Property(k => k.Prefix).HasMaxLength(16);
        builder.Property(k => k.CreatedBy).HasMaxLength(256);
        // Every API request looks its key up by hash.
        builder.HasIndex(k => k.Hash).IsUnique();
    }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.Property(a => a.User).HasMaxLength(256);
        builder.Property(a => a.Action).HasMaxLength(64);
        builder.Property(a => a.Detail).HasMaxLength(2000);
        builder.Property(a => a.Address).HasMaxLength(64);
        // The audit page lists newest first.
        builder.HasIndex(a => a.At);
    }
}
