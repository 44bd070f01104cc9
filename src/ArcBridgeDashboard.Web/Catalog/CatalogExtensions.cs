using ArcBridgeDashboard.Web.Configuration;
using ArcBridgeDashboard.Web.Data;

namespace ArcBridgeDashboard.Web.Catalog;

public static class CatalogExtensions
{
    /// <summary>Default-catalog seeding, admin import and the settings store (which re-expands targets).</summary>
    public static IHostApplicationBuilder AddArcBridgeCatalog(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IStartupSeeder, CatalogSeeder>();
        builder.Services.AddScoped<CatalogImportService>();
        builder.Services.AddScoped<DashboardSettingsStore>();
        return builder;
    }
}
