using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Accounts;
using ArcBridgeDashboard.Web.Data.Configurations;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace ArcBridgeDashboard.Web.Data;

/// <summary>
/// The one context the app injects everywhere (<see cref="IDbContextFactory{TContext}"/> and scoped). On SQLite it is
/// this type; on PostgreSQL it is <see cref="PostgreSqlArcBridgeDbContext"/>, a subtype only so each provider has its
/// own migrations (EF Core's "one context type per provider"): Data/Migrations for SQLite, Data/PostgreSqlMigrations.
/// </summary>
public class ArcBridgeDbContext : IdentityDbContext<DashboardUser>, IDataProtectionKeyContext
{
    public ArcBridgeDbContext(DbContextOptions<ArcBridgeDbContext> options)
        : base(options)
    {
    }

    /// <summary>For the provider subtype, which passes its own options type.</summary>
    protected ArcBridgeDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<CatalogVersion> CatalogVersions => Set<CatalogVersion>();
    public DbSet<MonitoredEndpoint> Endpoints => Set<MonitoredEndpoint>();
    public DbSet<Target> Targets => Set<Target>();
    public DbSet<Agent> Agents => Set<Agent>();
    public DbSet<Sweep> Sweeps => Set<Sweep>();
    public DbSet<Result> Results => Set<Result>();
    public DbSet<LatestResult> LatestResults => Set<LatestResult>();
    public DbSet<HourlyRollup> HourlyRollups => Set<HourlyRollup>();
    public DbSet<DailyRollup> DailyRollups => Set<DailyRollup>();
    public DbSet<StateChange> StateChanges => Set<StateChange>();
    public DbSet<Setting> Settings => Set<Setting>();
    /// <summary>The Data Protection key ring (see Secrets/SecretsExtensions), unless a keys folder is configured.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<ReportSnapshot> ReportSnapshots => Set<ReportSnapshot>();
    public DbSet<ChangeEvent> ChangeEvents => Set<ChangeEvent>();
    public DbSet<ConfirmedState> ConfirmedStates => Set<ConfirmedState>();
    public DbSet<Annotation> Annotations => Set<Annotation>();
    public DbSet<CheckRun> CheckRuns => Set<CheckRun>();
    public DbSet<NotificationChannel> NotificationChannels => Set<NotificationChannel>();
    public DbSet<NotificationRule> NotificationRules => Set<NotificationRule>();
    public DbSet<MaintenanceWindow> MaintenanceWindows => Set<MaintenanceWindow>();
    public DbSet<NotificationDelivery> NotificationDeliveries => Set<NotificationDelivery>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UnixMillisecondsConverter>();
        // Enums stay integers (compact, indexable); names are stable in the contracts anyway.
        configurationBuilder.Properties<Sources>().HaveConversion<int>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        // Identity's tables (users, roles, claims, logins, tokens) first, then ours.
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<IdentityRole>().HasData(DashboardRoles.Seed);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(ArcBridgeDbContext).Assembly);
        modelBuilder.Entity<Agent>().HasData(new Agent
        {
            Id = Agent.BuiltInId,
            Name = "built-in",
            IsBuiltIn = true,
            Role = Sources.ManagementMachine,
            CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(0),
        });
    }
}
