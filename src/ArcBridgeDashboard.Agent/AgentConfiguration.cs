using Microsoft.Extensions.Configuration;

namespace ArcBridgeDashboard.Agent;

/// <summary>
/// Configuration of both verbs: appsettings.json beside the executable, then ARCBRIDGE_ environment variables
/// (ARCBRIDGE_Check__Region, ARCBRIDGE_Run__TrustCa__0); the command line wins over both.
/// </summary>
public static class AgentConfiguration
{
    /// <summary><paramref name="configuration"/> when a test or host gives one, else the files and environment.</summary>
    public static IConfiguration Load(IConfiguration? configuration)
    {
        if (configuration is not null)
            return configuration;
        try
        {
            return new ConfigurationBuilder()
                .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
                .AddEnvironmentVariables("ARCBRIDGE_")
                .Build();
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or IOException)
        {
            throw new UsageException($"appsettings.json: {ex.Message.ReplaceLineEndings(" ")}");
        }
    }

    /// <summary>
    /// Runs <paramref name="bind"/> on <paramref name="section"/>; a value of the wrong shape is a usage error naming the
    /// section. The caller binds its own concrete type, so the configuration binding generator (NativeAOT) sees it.
    /// </summary>
    public static void Bind(IConfiguration configuration, string section, Action<IConfigurationSection> bind)
    {
        try
        {
            bind(configuration.GetSection(section));
        }
        catch (InvalidOperationException ex)
        {
            throw new UsageException($"configuration section '{section}': {ex.Message.ReplaceLineEndings(" ")}");
        }
    }

    /// <summary>A list given on the command line replaces the configured one.</summary>
    public static List<string> Replace(string[]? fromCommandLine, List<string> configured)
        => fromCommandLine is { Length: > 0 } ? [.. fromCommandLine] : configured;
}
