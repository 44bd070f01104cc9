using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ArcBridgeDashboard.Web.Data.Configurations;

public sealed class AgentConfiguration : IEntityTypeConfiguration<Agent>
{
    public void Configure(EntityTypeBuilder<Agent> builder)
    {
        builder.Property(a => a.Name).HasMaxLength(200);
        builder.HasIndex(a => a.Name).IsUnique();
    }
}

public sealed class SweepConfiguration : IEntityTypeConfiguration<Sweep>
{
    public void Configure(EntityTypeBuilder<Sweep> builder)
    {
        builder.Property(s => s.Trigger).HasConversion<string>().HasMaxLength(20);
        builder.Property(s => s.Error).HasMaxLength(2000);
        // Sweep history page and "previous sweep of this agent" both walk this index backwards.
        builder.HasIndex(s => new { s.AgentId, s.StartedAt });
        builder.HasIndex(s => s.StartedAt);
        // The store finds an agent's pass by its id when the pass's later batches arrive.
        builder.HasIndex(s => new { s.AgentId, s.PassId }).IsUnique();
    }
}

public sealed class ResultConfiguration : IEntityTypeConfiguration<Result>
{
    public void Configure(EntityTypeBuilder<Result> builder)
    {
        builder.HasIndex(r => r.ResultId).IsUnique();
        // History of one target over time (drill-down, paged raw list); AgentId second-level for per-agent filters.
        builder.HasIndex(r => new { r.TargetId, r.StartedAt });
        builder.HasIndex(r => r.SweepId);
        // Retention deletes by age in batches.
        builder.HasIndex(r => r.StartedAt);
        builder.HasOne(r => r.Target).WithMany().HasForeignKey(r => r.TargetId);
        builder.HasOne<Agent>().WithMany().HasForeignKey(r => r.AgentId);
        builder.HasOne<Sweep>().WithMany().HasForeignKey(r => r.SweepId).OnDelete(DeleteBehavior.SetNull);
    }
}

public sealed class LatestResultConfiguration : IEntityTypeConfiguration<LatestResult>
{
    public void Configure(EntityTypeBuilder<LatestResult> builder)
    {
        builder.HasKey(l => new { l.AgentId, l.TargetId });
        builder.HasIndex(l => l.TargetId);
        builder.HasOne<Agent>().WithMany().HasForeignKey(l => l.AgentId);
        builder.HasOne<Target>().WithMany().HasForeignKey(l => l.TargetId);
        // No FK to Result: retention may delete the raw row of a long-silent agent while the cell stays (shown stale).
    }
}

public sealed class HourlyRollupConfiguration : IEntityTypeConfiguration<HourlyRollup>
{
    public void Configure(EntityTypeBuilder<HourlyRollup> builder)
    {
        builder.HasKey(h => new { h.TargetId, h.AgentId, h.HourStart });
        // Availability windows and latency charts read one target's hours across all agents by time range. The counters
        // are in the index too, so those sums are index-only range scans: 30 days × 20 agents are 14,400 entries read in
        // order, instead of 14,400 random lookups into the table (the part of the drill-down that grew with history).
        builder.HasIndex(h => new { h.TargetId, h.HourStart, h.Count, h.PassCount, h.WarnCount, h.FailCount, h.SumTotalMs, h.MaxTotalMs })
            .HasDatabaseName("IX_HourlyRollups_TargetId_HourStart_Counters");
        // Retention deletes the hours older than ArcBridge:Retention:HourlyDays oldest first, by range.
        builder.HasIndex(h => h.HourStart);
    }
}

public sealed class DailyRollupConfiguration : IEntityTypeConfiguration<DailyRollup>
{
    public void Configure(EntityTypeBuilder<DailyRollup> builder)
    {
        builder.HasKey(d => new { d.TargetId, d.AgentId, d.DayStart });
        // The 1-year availability sums one endpoint's targets by day range, index-only as for the hourly roll-ups; the
        // year trend reads every target's days and is served by the key's DayStart through this index's second column.
        builder.HasIndex(d => new { d.TargetId, d.DayStart, d.Count, d.PassCount, d.WarnCount, d.FailCount })
            .HasDatabaseName("IX_DailyRollups_TargetId_DayStart_Counters");
        builder.HasIndex(d => d.DayStart);
    }
}

public sealed class StateChangeConfiguration : IEntityTypeConfiguration<StateChange>
{
    public void Configure(EntityTypeBuilder<StateChange> builder)
    {
        builder.HasIndex(s => new { s.TargetId, s.At });
    }
}

public sealed class SettingConfiguration : IEntityTypeConfiguration<Setting>
{
    public void Configure(EntityTypeBuilder<Setting> builder)
    {
        builder.HasKey(s => s.Key);
        builder.Property(s => s.Key).HasMaxLength(100);
    }
}

public sealed class ReportSnapshotConfiguration : IEntityTypeConfiguration<ReportSnapshot>
{
    public void Configure(EntityTypeBuilder<ReportSnapshot> builder)
    {
        builder.Property(s => s.Author).HasMaxLength(200);
        builder.Property(s => s.CatalogVersion).HasMaxLength(200);
        builder.Property(s => s.Verdict).HasMaxLength(20);
        // The list shows the newest first.
        builder.HasIndex(s => s.GeneratedAt);
    }
}
