using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ArcBridgeDashboard.Probes.Sweeps;

public static class ProbeEngineServiceCollectionExtensions
{
    /// <summary>Registers <see cref="TargetProber"/> and <see cref="SweepRunner"/> (stateless, so singletons) and the system clock unless one is registered.</summary>
    public static IServiceCollection AddProbeEngine(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<TargetProber>();
        services.TryAddSingleton<SweepRunner>();
        return services;
    }
}
