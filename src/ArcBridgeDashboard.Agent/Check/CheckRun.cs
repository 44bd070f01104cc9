using ArcBridgeDashboard.Agent.Check.Reports;
using ArcBridgeDashboard.Probes.Catalog;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Probes.Sweeps;

namespace ArcBridgeDashboard.Agent.Check;

/// <summary>One check: expand the catalog for this machine's role, sweep, report, and turn the verdicts into an exit code.</summary>
public sealed class CheckRun(CheckPlan plan, TextWriter stdout, TextWriter stderr, TimeProvider? time = null)
{
    public const int AllPassed = 0;
    public const int SomeFailed = 1;

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public async Task<int> ExecuteAsync(CancellationToken cancellationToken)
    {
        var startedAt = _time.GetUtcNow();
        // Rows the allowlist import could not read are said before the results, never dropped silently.
        foreach (var warning in plan.Catalog.Warnings)
            await stderr.WriteLineAsync($"warning: catalog {warning}");
        var endpoints = plan.Catalog.Endpoints
            .Where(e => plan.Includes(e.Sources) && (plan.RevocationDefaults || !IsDefaultRevocationServer(e))).ToList();
        var discovered = await DiscoverBlobHostAsync(endpoints, cancellationToken);
        var targets = TargetExpander.Expand(endpoints, plan.Settings, discovered);

        var results = new ProbeResult?[targets.Count];
        var pending = new List<ProbeTarget>();
        var indexByKey = new Dictionary<(string, string), Queue<int>>();
        for (var i = 0; i < targets.Count; i++)
        {
            if (targets[i].Host is null)
            {
                results[i] = NeedsHostname(targets[i], startedAt);
                continue;
            }
            pending.Add(targets[i]);
            var key = (targets[i].EndpointKey, targets[i].Key);
            if (!indexByKey.TryGetValue(key, out var slots))
                indexByKey[key] = slots = new Queue<int>();
            slots.Enqueue(i);
        }

        // Revocation servers named by the chains but by no catalog endpoint come after the catalog's rows.
        var learned = new List<ProbeResult>();
        if (pending.Count > 0)
        {
            await foreach (var result in new SweepRunner().RunAsync(pending, plan.Settings, cancellationToken))
            {
                // Results arrive as targets finish; put each back in catalog order.
                if (indexByKey.TryGetValue((result.EndpointKey, result.TargetKey), out var slots) && slots.Count > 0)
                    results[slots.Dequeue()] = result;
                else
                    learned.Add(result);
            }
        }

        var report = new CheckReport(plan.Catalog.Version, startedAt, plan.Role, plan.Settings.Region,
            [.. results.Select((r, i) => r ?? NotRun(targets[i], startedAt)), .. learned.OrderBy(r => r.TargetKey, StringComparer.Ordinal)]);
        if (plan.SaveInspectionRoot is { } path)
            await SaveInspectionRootAsync(report, path, cancellationToken);
        var writer = ReportWriters.For(plan.Format, useColour: ReferenceEquals(stdout, Console.Out) && ColourAllowed());
        await writer.WriteAsync(report, stdout);
        await stdout.FlushAsync(cancellationToken);
        return report.ExitCode;
    }

    /// <summary>Writes exactly one certificate: a bundle would hand Arc more than the one root it needs to trust.</summary>
    private async Task SaveInspectionRootAsync(CheckReport report, string path, CancellationToken cancellationToken)
    {
        var roots = report.InspectionRoots;
        if (roots.Count == 0)
        {
            await stderr.WriteLineAsync($"note: --save-inspection-root: no TLS inspection root was seen; {path} not written");
            return;
        }
        await File.WriteAllTextAsync(path, roots[0].Root.Pem, cancellationToken);
        await stderr.WriteLineAsync($"note: wrote the intercepting root \"{roots[0].Root.Subject}\" (SHA-256 {roots[0].Root.Sha256}) to {path}");
        foreach (var other in roots.Skip(1))
            await stderr.WriteLineAsync($"warning: another intercepting root was seen and not written: \"{other.Root.Subject}\" (SHA-256 {other.Root.Sha256}) on {other.Endpoints} endpoint(s)");
    }

    private async Task<IReadOnlyDictionary<string, string>?> DiscoverBlobHostAsync(List<CatalogEndpoint> endpoints, CancellationToken cancellationToken)
    {
        var needed = endpoints.Any(e => e.HostPattern == BlobEndpointDiscovery.Pattern)
            && !plan.Settings.WildcardOverrides.Keys.Any(k => string.Equals(k, BlobEndpointDiscovery.Pattern, StringComparison.OrdinalIgnoreCase));
        if (!needed || plan.BlobRegistry is null)
            return null;
        var proxy = plan.Settings.Proxy is null ? null : new System.Net.WebProxy(plan.Settings.Proxy)
        {
            Credentials = plan.Settings.ProxyUser is null ? null : new System.Net.NetworkCredential(plan.Settings.ProxyUser, plan.Settings.ProxyPassword),
        };
        using var handler = BlobEndpointDiscovery.CreateHandler(proxy);
        var found = await new BlobEndpointDiscovery(handler, plan.BlobRegistry, plan.Settings.PhaseTimeout).DiscoverAsync(cancellationToken);
        if (!found.Found)
            await stderr.WriteLineAsync($"note: {BlobEndpointDiscovery.Pattern}: {found.Detail}");
        return found.Host is null ? null : new Dictionary<string, string> { [BlobEndpointDiscovery.Pattern] = found.Host };
    }

    /// <summary>A wildcard nobody could expand: listed as a warning so the operator supplies a host; it never fails the run.</summary>
    private static ProbeResult NeedsHostname(ProbeTarget target, DateTimeOffset startedAt)
    {
        // Expansion notes read "needs a hostname: why; pass --option ..." — split them into message and remedy.
        var note = target.ExpansionNote ?? "needs a hostname";
        var split = note.IndexOf("; pass ", StringComparison.Ordinal);
        var option = note.IndexOf("(--", StringComparison.Ordinal);
        var remedy = split >= 0 ? "Pass " + note[(split + "; pass ".Length)..] + "."
            : option >= 0 ? $"Pass {note[(option + 1)..note.IndexOf(')', option)]} to probe this requirement."
            : $"Pass --wildcard \"{target.HostPattern}=HOST\" with the host this network really uses.";
        return new ProbeResult
        {
            EndpointKey = target.EndpointKey,
            TargetKey = target.Key,
            Service = target.Service,
            Host = target.HostPattern,
            Port = target.Port,
            Protocol = target.Protocol,
            Sources = target.Sources,
            Required = target.Required,
            Verdict = Verdict.Warn,
            Phase = Phase.None,
            Reason = ReasonCode.NeedsHostname,
            Message = split >= 0 ? note[..split] : note,
            Remedy = remedy,
            StartedAt = startedAt,
        };
    }

    private static ProbeResult NotRun(ProbeTarget target, DateTimeOffset startedAt) => NeedsHostname(target, startedAt) with
    {
        Verdict = Verdict.Fail,
        Reason = ReasonCode.HttpNoResponse,
        Message = "the sweep returned no result for this target",
        Remedy = "Re-run the check; report a bug if it persists.",
        Host = target.Host ?? target.HostPattern,
    };

    private static bool IsDefaultRevocationServer(CatalogEndpoint e)
        => e.Origin == EndpointOrigin.ExtraRequirement && e.Port == Probes.Revocation.RevocationDefaults.Port && Probes.Revocation.RevocationDefaults.IsDefaultHost(e.HostPattern);

    private static bool ColourAllowed()
        => !Console.IsOutputRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
}
