using System.Security.Cryptography;
using System.Text;
using ArcBridgeDashboard.EndToEnd.Tests.Agents;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Agents;
using ArcBridgeDashboard.Web.Data;
using ArcBridgeDashboard.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace ArcBridgeDashboard.EndToEnd.Tests.Scale;

/// <summary>
/// Two real dashboard processes (replicas) on one real PostgreSQL 15 database (a fresh one on this test process's
/// <see cref="PostgresServer"/>), one Redis (backplane and live events), nginx in front with the shipped
/// configuration, and loopback targets for agents. The database is migrated and seeded before the replicas start:
/// a catalog of loopback endpoints only (so nothing is swept on the Internet) and the sign-in user.
/// </summary>
public sealed class ScaleLab : IAsyncDisposable
{
    /// <summary>The built-in agent's interval when it is on: the plan's floor (PlanSchedule.MinIntervalSeconds).</summary>
    public const int BuiltInIntervalSeconds = 10;

    private readonly bool _builtInAgent;

    private ScaleLab(AgentLab lab, RedisServer redis, string database, bool builtInAgent) => (Lab, Redis, Database, _builtInAgent) = (lab, redis, database, builtInAgent);

    public AgentLab Lab { get; }
    public RedisServer Redis { get; }

    /// <summary>The replicas' PostgreSQL connection string.</summary>
    public string Database { get; }

    public NginxProxy Nginx { get; private set; } = default!;
    public IReadOnlyList<Replica> Replicas { get; private set; } = [];

    public sealed record Replica(string Name, ChildProcess Process, Uri Url)
    {
        public string Address => $"{Url.Host}:{Url.Port}";
    }

    /// <summary>What every replica gets: the shared database, the shared Redis, and nginx (on loopback) as the trusted proxy.</summary>
    public IReadOnlyDictionary<string, string> ReplicaSettings => new Dictionary<string, string>
    {
        ["ArcBridge__Database__Provider"] = "PostgreSql",
        ["ArcBridge__Database__ConnectionString"] = Database,
        ["ArcBridge__Redis__Configuration"] = Redis.Configuration,
        ["ArcBridge__ForwardedHeaders__KnownProxies__0"] = "127.0.0.1",
        ["ArcBridge__BuiltInAgentEnabled"] = _builtInAgent ? "true" : "false",
    };

    /// <param name="builtInAgent">Turn the built-in agent on in both replicas, every endpoint at <see cref="BuiltInIntervalSeconds"/>.</param>
    public static async Task<ScaleLab> StartAsync(int targetCount, bool builtInAgent = false)
    {
        var lab = new AgentLab();
        RedisServer? redis = null;
        try
        {
            redis = new RedisServer();
            var scale = new ScaleLab(lab, redis, PostgresServer.Shared.CreateDatabase(), builtInAgent);
            await scale.SeedAsync(targetCount);
            // One after the other: the second reads the Data Protection key the first writes to the database.
            await lab.StartDashboardAsync(settings: scale.ReplicaSettings);
            using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) })
                (await http.GetAsync(new Uri(lab.ServerUrl, "/signin"))).EnsureSuccessStatusCode(); // the form's antiforgery token makes the key
            var second = await lab.StartReplicaAsync(scale.ReplicaSettings);
            scale.Replicas = [new Replica("A", lab.Dashboard!, lab.ServerUrl), new Replica("B", second.Process, second.Url)];
            scale.Nginx = new NginxProxy(Path.Combine(lab.Folder, "nginx"), [.. scale.Replicas.Select(r => r.Url)]);
            return scale;
        }
        catch
        {
            redis?.Dispose();
            await lab.DisposeAsync();
            throw;
        }
    }

    /// <summary>Migrated, a catalog of one loopback endpoint per lab listener (both roles), and the sign-in user.</summary>
    private async Task SeedAsync(int targetCount)
    {
        var endpoints = Enumerable.Range(0, targetCount).Select(i => TestDatabase.Loopback($"e2e-{i}", Lab.Listen()) with
        {
            Sources = Sources.ManagementMachine | Sources.ApplianceVm,
        }).ToArray();
        await TestDatabase.CreateWithCatalogAsync(Database, endpoints);
        if (_builtInAgent)
        {
            await using var db = TestDatabase.Open(Database);
            await db.Endpoints.ExecuteUpdateAsync(e => e.SetProperty(x => x.IntervalSeconds, BuiltInIntervalSeconds));
        }
        await Support.DashboardSignIn.SeedUserAsync(Database);
    }

    /// <summary>An enrolment token written straight into the database (what the Agents page does), valid for an hour.</summary>
    public async Task<string> CreateTokenAsync()
    {
        var token = "abe_e2e_" + Guid.NewGuid().ToString("N");
        var now = DateTimeOffset.UtcNow;
        await using var db = TestDatabase.Open(Database);
        db.Set<EnrollmentToken>().Add(new EnrollmentToken
        {
            TokenHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token))), Note = "e2e", CreatedAt = now, ExpiresAt = now.AddHours(1),
        });
        await db.SaveChangesAsync();
        return token;
    }

    /// <summary>Result ids stored for the agent, and how many rows (to catch duplicates).</summary>
    public async Task<(HashSet<Guid> Ids, int Rows)> StoredResultsAsync(string agentName)
    {
        await using var db = TestDatabase.Open(Database);
        var ids = await db.Results.AsNoTracking().Where(r => db.Agents.Any(a => a.Id == r.AgentId && a.Name == agentName)).Select(r => r.ResultId).ToListAsync();
        return ([.. ids], ids.Count);
    }

    /// <summary>How many results the agent has stored per target port (each one probe of that target).</summary>
    public async Task<Dictionary<int, int>> ResultCountsByPortAsync(string agentName)
    {
        await using var db = TestDatabase.Open(Database);
        return await db.Results.AsNoTracking().Where(r => db.Agents.Any(a => a.Id == r.AgentId && a.Name == agentName))
            .GroupBy(r => r.Target!.Port).ToDictionaryAsync(g => g.Key, g => g.Count());
    }

    /// <summary>
    /// An agent's sweeps (the built-in agent's scheduled ones when <paramref name="agentName"/> is null): when each
    /// started, and whether it finished holding one result per target.
    /// </summary>
    public async Task<IReadOnlyList<(DateTimeOffset StartedAt, bool Complete)>> SweepsAsync(string? agentName)
    {
        await using var db = TestDatabase.Open(Database);
        var sweeps = await db.Sweeps.AsNoTracking()
            .Where(s => agentName == null
                ? s.AgentId == Agent.BuiltInId && s.Trigger == SweepTrigger.Schedule
                : db.Agents.Any(a => a.Id == s.AgentId && a.Name == agentName))
            .Select(s => new { s.StartedAt, Finished = s.FinishedAt != null, s.TargetCount, Results = db.Results.Count(r => r.SweepId == s.Id) })
            .ToListAsync();
        return [.. sweeps.Select(s => (s.StartedAt, s.Finished && s.Results == s.TargetCount)).OrderBy(s => s.StartedAt)];
    }

    /// <summary>The replica that served an answer, from nginx's X-Test-Upstream (the last one tried, after a failover).</summary>
    public Replica ReplicaOf(string? upstreamHeader)
    {
        var last = (upstreamHeader ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        return Replicas.SingleOrDefault(r => r.Address == last)
            ?? throw new InvalidOperationException($"nginx named no test replica: '{upstreamHeader}'\n{Nginx.ErrorLog}");
    }

    public Replica Other(Replica replica) => Replicas.Single(r => r != replica);

    public string Logs => string.Join("\n", Replicas.Select(r => $"--- replica {r.Name} ---\n{r.Process.Output}")) + $"\n--- nginx ---\n{Nginx?.ErrorLog}";

    public async ValueTask DisposeAsync()
    {
        Nginx?.Dispose();
        await Lab.DisposeAsync();
        Redis.Dispose();
    }
}
