using ArcBridgeDashboard.EndToEnd.Tests.Agents;

namespace ArcBridgeDashboard.EndToEnd.Tests.Scale;

/// <summary>
/// Two real dashboard processes (replicas) on one database, one Redis (backplane and live events), nginx in front
/// with the shipped configuration, and loopback targets for agents. The replicas share one SQLite file (WAL works
/// across processes); on PostgreSQL only the database settings in <see cref="ReplicaSettings"/> change.
/// </summary>
public sealed class ScaleLab : IAsyncDisposable
{
    private ScaleLab(AgentLab lab, RedisServer redis) => (Lab, Redis) = (lab, redis);

    public AgentLab Lab { get; }
    public RedisServer Redis { get; }
    public NginxProxy Nginx { get; private set; } = default!;
    public IReadOnlyList<Replica> Replicas { get; private set; } = [];

    public sealed record Replica(string Name, ChildProcess Process, Uri Url)
    {
        public string Address => $"{Url.Host}:{Url.Port}";
    }

    /// <summary>What every replica gets: the shared Redis, and nginx (on loopback) as the trusted proxy.</summary>
    public IReadOnlyDictionary<string, string> ReplicaSettings => new Dictionary<string, string>
    {
        ["ArcBridge__Redis__Configuration"] = Redis.Configuration,
        ["ArcBridge__ForwardedHeaders__KnownProxies__0"] = "127.0.0.1",
    };

    public static async Task<ScaleLab> StartAsync(int targetCount)
    {
        var lab = new AgentLab();
        RedisServer? redis = null;
        try
        {
            redis = new RedisServer();
            var scale = new ScaleLab(lab, redis);
            // One after the other: the first migrates the database and writes the Data Protection key the second reads.
            await lab.StartDashboardAsync(settings: scale.ReplicaSettings);
            await lab.SeedLoopbackTargetsAsync(targetCount);
            await Support.DashboardSignIn.SeedUserAsync(lab.DatabasePath);
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
