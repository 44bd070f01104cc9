using System.Threading.Channels;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Configuration;
using ArcBridgeDashboard.Web.Data;
using ArcBridgeDashboard.Web.Monitoring;
using ArcBridgeDashboard.Web.Monitoring.Queries;
using Microsoft.EntityFrameworkCore;
using Prometheus;

namespace ArcBridgeDashboard.Web.Api;

/// <summary>
/// The Prometheus view of the dashboard. Current state (probe success, result age, readiness) is read at scrape time
/// from the same overview query the pages use, so it survives restarts and never disagrees with the banner. Phase
/// durations are histograms fed by every stored result (<see cref="ProbeMetricsRecorder"/>).
/// One registry per app, not prometheus-net's static default: two dashboards in one process (tests) must not mix.
/// </summary>
public sealed class ProbeMetrics
{
    private readonly Gauge _success;
    private readonly Gauge _age;
    private readonly Gauge _readinessPassing;
    private readonly Gauge _readinessTotal;
    private readonly Gauge _ready;

    public ProbeMetrics()
    {
        Registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(Registry);
        string[] checkLabels = ["service", "target", "role", "agent"];
        _success = factory.CreateGauge("arcbridge_probe_success", "1 when the agent's latest result for the target passed (Pass or Warn), else 0.", checkLabels);
        _age = factory.CreateGauge("arcbridge_probe_age_seconds", "Seconds since the agent's latest result for the target.", checkLabels);
        _readinessPassing = factory.CreateGauge("arcbridge_readiness_passing_checks", "Required endpoint × source checks that pass.");
        _readinessTotal = factory.CreateGauge("arcbridge_readiness_checks", "Required endpoint × source checks.");
        _ready = factory.CreateGauge("arcbridge_ready", "1 when every required check passes and every role is covered by an online agent.");
        PhaseDuration = factory.CreateHistogram("arcbridge_probe_phase_duration_seconds", "Duration of each probe phase (dns, tcp, tls, http…) per endpoint and agent.",
            new HistogramConfiguration
            {
                LabelNames = ["service", "target", "agent", "phase"],
                Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
            });
        Results = factory.CreateCounter("arcbridge_probe_results_total", "Stored results per endpoint, agent and verdict.", ["service", "target", "agent", "verdict"]);
    }

    public CollectorRegistry Registry { get; }
    public Histogram PhaseDuration { get; }
    public Counter Results { get; }

    /// <summary>Sets the current-state gauges from the overview model; label sets that disappeared are removed.</summary>
    public void SetCurrent(OverviewModel model, DateTimeOffset now)
    {
        var seen = new HashSet<string[]>(LabelComparer.Instance);
        foreach (var row in model.Rows)
        {
            foreach (var cell in row.Cells.Values)
            {
                foreach (var agent in cell.Agents)
                {
                    string[] labels = [row.Service, row.TargetKey, cell.Role.ToString(), agent.AgentName];
                    seen.Add(labels);
                    _success.WithLabels(labels).Set(agent.Verdict is Verdict.Pass or Verdict.Warn ? 1 : 0);
                    _age.WithLabels(labels).Set(Math.Max(0, (now - agent.At).TotalSeconds));
                }
            }
        }
        foreach (var gauge in new[] { _success, _age })
        {
            foreach (var labels in gauge.GetAllLabelValues().Where(l => !seen.Contains(l)).ToList())
                gauge.RemoveLabelled(labels);
        }
        _readinessPassing.Set(model.Readiness.Passing);
        _readinessTotal.Set(model.Readiness.Total);
        _ready.Set(model.Readiness.AllPass ? 1 : 0);
    }

    private sealed class LabelComparer : IEqualityComparer<string[]>
    {
        public static readonly LabelComparer Instance = new();
        public bool Equals(string[]? x, string[]? y) => x!.SequenceEqual(y!);
        public int GetHashCode(string[] obj) => obj.Aggregate(17, (h, s) => HashCode.Combine(h, s));
    }
}

/// <summary>
/// Feeds the phase histograms from every stored result. The notifier calls back on the storing thread, so results go
/// through a bounded channel; when a burst overflows it the oldest observations are dropped, never the ingest.
/// </summary>
public sealed class ProbeMetricsRecorder(LiveStatusNotifier notifier, ProbeMetrics metrics, IServiceScopeFactory scopes) : BackgroundService
{
    private readonly Channel<ResultArrivedEvent> _arrived = Channel.CreateBounded<ResultArrivedEvent>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    private readonly Dictionary<int, string> _agentNames = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        notifier.ResultArrived += OnResultArrived;
        try
        {
            await foreach (var e in _arrived.Reader.ReadAllAsync(stoppingToken))
            {
                var agent = await AgentNameAsync(e.AgentId, stoppingToken);
                var r = e.Result;
                metrics.Results.WithLabels(r.Service, r.TargetKey, agent, r.Verdict.ToString()).Inc();
                foreach (var (phase, ms) in r.TimingsMs)
                    metrics.PhaseDuration.WithLabels(r.Service, r.TargetKey, agent, phase).Observe(ms / 1000.0);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            notifier.ResultArrived -= OnResultArrived;
        }
    }

    // Results stored by another replica are counted by that replica's /metrics.
    private void OnResultArrived(ResultArrivedEvent e)
    {
        if (!e.FromPeer)
            _arrived.Writer.TryWrite(e);
    }

    private async Task<string> AgentNameAsync(int agentId, CancellationToken cancellationToken)
    {
        if (_agentNames.TryGetValue(agentId, out var name))
            return name;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ArcBridgeDbContext>();
        name = await db.Agents.Where(a => a.Id == agentId).Select(a => a.Name).FirstOrDefaultAsync(cancellationToken) ?? agentId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _agentNames[agentId] = name;
        return name;
    }
}
