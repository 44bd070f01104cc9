using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ArcBridgeDashboard.Web.Configuration;

public static class ArcBridgeOptionsExtensions
{
    /// <summary>Binds and validates <see cref="ArcBridgeOptions"/> at startup; a bad value stops the app with a message naming the key.</summary>
    public static IHostApplicationBuilder AddArcBridgeOptions(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ArcBridgeOptions>()
            .BindConfiguration(ArcBridgeOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ArcBridgeOptions>, ArcBridgeOptionsValidator>());
        builder.Services.TryAddSingleton(TimeProvider.System);
        return builder;
    }
}
