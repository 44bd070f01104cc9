using System.Net;
using System.Security.Cryptography.X509Certificates;
using ArcBridgeDashboard.Probes.Contracts;

namespace ArcBridgeDashboard.Agent.Run;

/// <summary>Validated options of the `run` verb.</summary>
public sealed record RunOptions
{
    public required Uri Server { get; init; }
    public string? EnrollToken { get; init; }
    public required string Name { get; init; }
    public required Sources Role { get; init; }
    /// <summary>Overrides the plan's proxy (this machine's own path out).</summary>
    public Uri? Proxy { get; init; }
    public IReadOnlyList<IPEndPoint> DnsServers { get; init; } = [];
    public required string StateDirectory { get; init; }
    /// <summary>Overrides the plan's sweep interval.</summary>
    public TimeSpan? Interval { get; init; }
    public int OutboxMaxRows { get; init; } = 100_000;
    public int BatchSize { get; init; } = 500;
    public static readonly TimeSpan DefaultPlanRefresh = TimeSpan.FromSeconds(30);
    /// <summary>How often the plan is re-read from the server (--plan-refresh, 1-60 s, so changes show within a minute).</summary>
    public TimeSpan PlanRefresh { get; init; } = DefaultPlanRefresh;
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(15);
    /// <summary>No SignalR connection: poll for commands only (proxies that break long-lived connections).</summary>
    public bool NoLive { get; init; }
    /// <summary>PEM file of the root(s) that issued the dashboard's HTTPS certificate, when the system does not trust it.</summary>
    public string? ServerCa { get; init; }
    /// <summary>Extra trusted roots for the probed endpoints (--trust-ca, private PKI); the plan's are added to these.</summary>
    public IReadOnlyList<X509Certificate2> TrustedRoots { get; init; } = [];
    /// <summary>Expected public roots (--expected-root), added to the shipped list; the plan's are added to these.</summary>
    public IReadOnlyList<X509Certificate2> ExpectedRoots { get; init; } = [];

    public string CredentialPath => Path.Combine(StateDirectory, "credential.json");
    public string PlanPath => Path.Combine(StateDirectory, "plan.json");
    public string OutboxPath => Path.Combine(StateDirectory, "outbox.db");

    public static string DefaultStateDirectory()
    {
        // systemd's StateDirectory= sets this; the unit under deploy/ uses it.
        if (Environment.GetEnvironmentVariable("STATE_DIRECTORY") is { Length: > 0 } systemd)
            return systemd.Split(':')[0];
        return OperatingSystem.IsWindows()
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.CommonApplicationData), "ArcBridgeAgent")
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "arcbridge-agent");
    }
}
