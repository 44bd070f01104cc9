namespace ArcBridgeDashboard.Probes.Contracts;

// The wire shapes between a remote agent and the dashboard (JSON with ProbeJson.Options). Shared so both ends
// compile against one definition; renames are breaking changes for deployed agents.

/// <summary>Well-known paths and headers of the agent API.</summary>
public static class AgentApi
{
    public const string EnrollPath = "/api/agents/enroll";
    public const string PlanPath = "/api/agents/plan";
    public const string ResultsPath = "/api/agents/results";
    public const string CommandsPath = "/api/agents/commands";
    public const string HubPath = "/hubs/agents";
    /// <summary>The agent's clock (Unix ms) when it sent the request; the server derives the clock offset from it.</summary>
    public const string AgentTimeHeader = "X-ArcBridge-Agent-Time";
    /// <summary>
    /// The probe kinds the agent can run, comma-separated. The plan holds only targets of those kinds, so an agent
    /// built before a kind existed gets a plan it can read; agents that send no header get <see cref="FirstProbeKinds"/>.
    /// </summary>
    public const string ProbeKindsHeader = "X-ArcBridge-Probe-Kinds";
    /// <summary>What agents released before <see cref="ProbeKindsHeader"/> existed can run.</summary>
    public static IReadOnlyList<ProbeKind> FirstProbeKinds { get; } = [ProbeKind.Https, ProbeKind.Ntp, ProbeKind.TcpDirect, ProbeKind.Dns];
    /// <summary>The header value for this build: every kind it knows.</summary>
    public static string ProbeKindsOfThisBuild { get; } = string.Join(',', Enum.GetNames<ProbeKind>());

    /// <summary>The kinds named in a header value; unknown names (a newer agent's) are ignored, no header means <see cref="FirstProbeKinds"/>.</summary>
    public static IReadOnlySet<ProbeKind> ParseProbeKinds(string? header) => string.IsNullOrWhiteSpace(header)
        ? FirstProbeKinds.ToHashSet()
        : header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(name => Enum.TryParse<ProbeKind>(name, ignoreCase: true, out var kind) && Enum.IsDefined(kind) ? kind : (ProbeKind?)null)
            .OfType<ProbeKind>().ToHashSet();

    /// <summary>Hub method the server calls on agents: CheckNow(long sequence).</summary>
    public const string CheckNowMethod = "CheckNow";
}

public sealed record EnrollRequest
{
    public required string Token { get; init; }
    public required string Name { get; init; }
    public required Sources Role { get; init; }
    public string? Version { get; init; }
    public string? Os { get; init; }
}

public sealed record EnrollResponse
{
    public required int AgentId { get; init; }
    public required string Name { get; init; }
    /// <summary>Bearer credential; shown once, the server keeps only its hash.</summary>
    public required string Credential { get; init; }
}

/// <summary>What an agent probes and how. The version changes whenever anything in it changes (ETag).</summary>
public sealed record AgentPlan
{
    public required string Version { get; init; }
    public required int AgentId { get; init; }
    public required Sources Role { get; init; }
    public int IntervalSeconds { get; init; } = 300;
    public int PhaseTimeoutSeconds { get; init; } = 5;
    public string Region { get; init; } = "eastus";
    /// <summary>The cloud whose endpoints <see cref="Targets"/> holds (the dashboard expanded them already).</summary>
    public Cloud Cloud { get; init; } = Cloud.AzureCloud;
    public string? Proxy { get; init; }
    /// <summary>Arc gateway URL; null: no gateway. Endpoints the gateway covers are probed through it.</summary>
    public string? Gateway { get; init; }
    public string? ProxyUser { get; init; }
    public string? ProxyPassword { get; init; }
    public IReadOnlyList<string> NoProxy { get; init; } = [];
    /// <summary>"ip" or "ip:port".</summary>
    public IReadOnlyList<string> DnsServers { get; init; } = [];
    /// <summary>
    /// Extra trusted roots for private PKI, PEM (the dashboard's Settings, the same certificates its built-in agent
    /// trusts); the agent adds them to its own. Null: none. PEM rather than parsed certificates keeps the plan plain JSON.
    /// </summary>
    public string? TrustedRootsPem { get; init; }
    /// <summary>Public roots Microsoft endpoints are expected to chain to, PEM, added to the shipped list like the dashboard's; null: none.</summary>
    public string? ExpectedRootsPem { get; init; }
    public int NtpWarnSeconds { get; init; } = 60;
    public int NtpFailSeconds { get; init; } = 1800;
    public int MaxParallelism { get; init; } = 32;
    /// <summary>How often to poll commands when the live connection is down.</summary>
    public int PollSeconds { get; init; } = 10;
    public IReadOnlyList<ProbeTarget> Targets { get; init; } = [];
    /// <summary>
    /// Per-endpoint interval overrides (endpoint drill-down), keyed by <see cref="ProbeTarget.EndpointKey"/>;
    /// targets of endpoints not listed use <see cref="IntervalSeconds"/>.
    /// </summary>
    public IReadOnlyDictionary<string, int> EndpointIntervalSeconds { get; init; } = new Dictionary<string, int>();
}

public sealed record ResultBatch
{
    /// <summary>The sending agent's id; must be the authenticated agent (403 otherwise).</summary>
    public required int AgentId { get; init; }
    /// <summary>Unacknowledged results still in the agent's outbox (including this batch).</summary>
    public int OutboxDepth { get; init; }
    public required IReadOnlyList<ProbeResult> Results { get; init; }
}

public sealed record RejectedResult(Guid Id, string Error);

/// <summary>Ids committed (now or before: duplicates) and ids refused for good; the agent deletes both.</summary>
public sealed record BatchAck
{
    public IReadOnlyList<Guid> Acked { get; init; } = [];
    public IReadOnlyList<RejectedResult> Rejected { get; init; } = [];
    /// <summary>Agent clock minus server clock, as measured on this request.</summary>
    public double ClockOffsetMs { get; init; }
}

/// <summary>Polling fallback for live control: the highest check-now sequence requested for this agent.</summary>
public sealed record AgentCommands
{
    public long CheckNowSequence { get; init; }
}
