using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ArcBridgeDashboard.Web.Data.Configurations;

public sealed class NotificationChannelConfiguration : IEntityTypeConfiguration<NotificationChannel>
{
    public void Configure(EntityTypeBuilder<NotificationChannel> builder)
    {
        builder.Property(c => c.Name).HasMaxLength(100);
        builder.HasIndex(c => c.Name).IsUnique();
        builder.Property(c => c.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(c => c.UrlHost).HasMaxLength(300);
        builder.Property(c => c.Recipients).HasMaxLength(2000);
    }
}

public sealed class NotificationRuleConfiguration : IEntityTypeConfiguration<NotificationRule>
{
    public void Configure(EntityTypeBuilder<NotificationRule> builder)
    {
        builder.Property(r => r.Name).HasMaxLength(100);
        builder.Property(r => r.Service).HasMaxLength(200);
        builder.Property(r => r.Role).HasConversion<int?>();
        // Many-to-many: a rule's channels; deleting either side deletes only the link.
        builder.HasMany(r => r.Channels).WithMany(c => c.Rules).UsingEntity("NotificationRuleChannels");
    }
}

public sealed class MaintenanceWindowConfiguration : IEntityTypeConfiguration<MaintenanceWindow>
{
    public void Configure(EntityTypeBuilder<MaintenanceWindow> builder)
    {
        builder.Property(w => w.Service).HasMaxLength(200);
        builder.Property(w => w.Reason).HasMaxLength(500);
        builder.Property(w => w.Role).HasConversion<int?>();
        builder.HasIndex(w => w.EndsAt);
    }
}

public sealed class NotificationDeliveryConfiguration : IEntityTypeConfiguration<NotificationDelivery>
{
    public void Configure(EntityTypeBuilder<NotificationDelivery> builder)
    {
        builder.Property(d => d.ChannelKind).HasConversion<string>().HasMaxLength(20);
        builder.Property(d => d.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(d => d.RuleName).HasMaxLength(100);
        builder.Property(d => d.ChannelName).HasMaxLength(100);
        builder.Property(d => d.Recipient).HasMaxLength(2000);
        builder.Property(d => d.Title).HasMaxLength(500);
        builder.Property(d => d.Error).HasMaxLength(2000);
        // The sender reads what is due; History pages newest first.
        builder.HasIndex(d => new { d.Status, d.NextAttemptAt });
        builder.HasIndex(d => d.CreatedAt);
    }
}
