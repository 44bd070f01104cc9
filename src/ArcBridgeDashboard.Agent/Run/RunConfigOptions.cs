namespace ArcBridgeDashboard.Agent.Run;

/// <summary>
/// The `run` options also read from configuration (section "Run": appsettings.json beside the exe,
/// ARCBRIDGE_Run__TrustCa__0=...), so a service's root files can live in its environment file. The command line
/// wins: a list given there replaces the configured one. Files are validated by <see cref="RunOptionsParser"/>.
/// </summary>
public sealed class RunConfigOptions
{
    public const string Section = "Run";

    public List<string> TrustCa { get; set; } = [];
    public List<string> ExpectedRoots { get; set; } = [];
}
