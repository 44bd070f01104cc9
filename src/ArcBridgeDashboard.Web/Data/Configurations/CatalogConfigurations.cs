using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ArcBridgeDashboard.Web.Data.Configurations;

public sealed class CatalogVersionConfiguration : IEntityTypeConfiguration<CatalogVersion>
{
    public void Configure(EntityTypeBuilder<CatalogVersion> builder)
    {
        builder.Property(v => v.Version).HasMaxLength(200);
        builder.Property(v => v.Source).HasMaxLength(50);
        builder.HasIndex(v => v.IsActive);
        builder.HasMany(v => v.Endpoints).WithOne(e => e.CatalogVersion).HasForeignKey(e => e.CatalogVersionId);
    }
}

public sealed class MonitoredEndpointConfiguration : IEntityTypeConfiguration<MonitoredEndpoint>
{
    public void Configure(EntityTypeBuilder<MonitoredEndpoint> builder)
    {
        builder.ToTable("Endpoints");
        builder.HasIndex(e => new { e.CatalogVersionId, e.Cloud, e.Key }).IsUnique();
        builder.Ignore(e => e.Identity);
        builder.HasMany(e => e.Targets).WithOne(t => t.Endpoint).HasForeignKey(t => t.EndpointId);
    }
}

public sealed class TargetConfiguration : IEntityTypeConfiguration<Target>
{
    public void Configure(EntityTypeBuilder<Target> builder)
    {
        builder.HasIndex(t => new { t.EndpointId, t.RetiredAt });
        builder.Ignore(t => t.NeedsHostname);
    }
}
