using System.Net;
using Microsoft.Extensions.Options;

namespace ArcBridgeDashboard.Web.Api;

/// <summary>Section "ArcBridge:Metrics": who may scrape <c>/metrics</c> without signing in.</summary>
public sealed class MetricsOptions
{
    public const string SectionName = "ArcBridge:Metrics";

    /// <summary>
    /// Networks (CIDR, e.g. "10.1.2.0/24" or "127.0.0.1/32") whose scrapers need no credentials. Empty (the default):
    /// every scrape must be authenticated. Prometheus scrapers rarely carry cookies, so this or an API key is how
    /// Grafana's data gets in.
    /// </summary>
    public List<string> AllowedNetworks { get; set; } = [];

    public IReadOnlyList<IPNetwork> Networks() => AllowedNetworks.Select(n => IPNetwork.Parse(n.Trim())).ToList();
}

public sealed class MetricsOptionsValidator : IValidateOptions<MetricsOptions>
{
    public ValidateOptionsResult Validate(string? name, MetricsOptions options)
    {
        var errors = options.AllowedNetworks
            .Select((n, i) => (n, i))
            .Where(x => !IPNetwork.TryParse(x.n?.Trim() ?? "", out _))
            .Select(x => $"{MetricsOptions.SectionName}:AllowedNetworks:{x.i} '{x.n}' is not a network in CIDR form (for example 10.0.0.0/8 or 127.0.0.1/32).")
            .ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
