using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ArcBridgeDashboard.Web.Data.Configurations;

public sealed class ChangeEventConfiguration : IEntityTypeConfiguration<ChangeEvent>
{
    public void Configure(EntityTypeBuilder<ChangeEvent> builder)
    {
        // "What changed" reads a time window; the drill-down one target's.
        builder.HasIndex(c => c.At);
        builder.HasIndex(c => new { c.TargetId, c.At });
        builder.HasOne<Agent>().WithMany().HasForeignKey(c => c.AgentId);
        builder.HasOne<Target>().WithMany().HasForeignKey(c => c.TargetId);
    }
}

public sealed class ConfirmedStateConfiguration : IEntityTypeConfiguration<ConfirmedState>
{
    public void Configure(EntityTypeBuilder<ConfirmedState> builder)
    {
        builder.HasKey(s => new { s.AgentId, s.TargetId });
        builder.HasOne<Agent>().WithMany().HasForeignKey(s => s.AgentId);
        builder.HasOne<Target>().WithMany().HasForeignKey(s => s.TargetId);
    }
}

public sealed class AnnotationConfiguration : IEntityTypeConfiguration<Annotation>
{
    public void Configure(EntityTypeBuilder<Annotation> builder)
    {
        builder.Property(a => a.Text).HasMaxLength(Monitoring.Changes.AnnotationService.MaxTextLength);
        builder.Property(a => a.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(a => a.Author).HasMaxLength(200);
        builder.HasIndex(a => a.At);
    }
}

public sealed class CheckRunConfiguration : IEntityTypeConfiguration<CheckRun>
{
    public void Configure(EntityTypeBuilder<CheckRun> builder)
    {
        builder.HasIndex(r => r.StartedAt);
    }
}
