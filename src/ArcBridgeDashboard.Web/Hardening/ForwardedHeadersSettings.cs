using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using IPNetwork = System.Net.IPNetwork;

namespace ArcBridgeDashboard.Web.Hardening;

/// <summary>
/// ArcBridge:ForwardedHeaders. Behind a reverse proxy every request comes from the proxy's address, so the per-address
/// limits (sign-in, enrolment, ingest), the audit log and <c>/metrics</c>' AllowedNetworks would all see one client.
/// The proxies listed here are trusted to say who the client is (X-Forwarded-For, X-Forwarded-Proto); a request from
/// any other address keeps its own address whatever headers it carries. Empty (the default): the headers are ignored.
/// </summary>
public sealed class ForwardedHeadersSettings
{
    public const string SectionName = "ArcBridge:ForwardedHeaders";

    /// <summary>Proxy addresses or CIDR ranges ("10.0.0.5", "10.0.0.0/24", "::1"); one entry may list several, comma-separated.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Each entry as a network (a single address is a /32 or /128). Call only on validated settings.</summary>
    public IReadOnlyList<IPNetwork> Networks() => [.. Entries().Select(e => TryParse(e.Value, out var network) ? network : throw new FormatException(e.Value))];

    internal IEnumerable<(int Index, string Value)> Entries() =>
        KnownProxies.SelectMany((entry, index) => (entry ?? "").Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(value => (index, value)));

    internal static bool TryParse(string value, out IPNetwork network)
    {
        if (IPAddress.TryParse(value, out var address) && !value.Contains('/', StringComparison.Ordinal))
        {
            network = new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }
        return IPNetwork.TryParse(value, out network);
    }
}

public sealed class ForwardedHeadersSettingsValidator : IValidateOptions<ForwardedHeadersSettings>
{
    public ValidateOptionsResult Validate(string? name, ForwardedHeadersSettings options)
    {
        var errors = options.Entries()
            .Where(e => !ForwardedHeadersSettings.TryParse(e.Value, out _))
            .Select(e => $"{ForwardedHeadersSettings.SectionName}:KnownProxies:{e.Index} '{e.Value}' is not an IP address or CIDR range (for example 10.0.0.5 or 10.0.0.0/24).")
            .ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

public static class ForwardedHeadersExtensions
{
    public static IServiceCollection AddArcBridgeForwardedHeaders(this IServiceCollection services)
    {
        services.AddOptions<ForwardedHeadersSettings>().BindConfiguration(ForwardedHeadersSettings.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ForwardedHeadersSettings>, ForwardedHeadersSettingsValidator>();
        return services;
    }

    /// <summary>
    /// First in the pipeline, so everything after it (request log, rate limits, audit, metrics) sees the client's
    /// address. Nothing at all when no proxy is configured: ASP.NET Core's own defaults would trust loopback.
    /// </summary>
    public static WebApplication UseArcBridgeForwardedHeaders(this WebApplication app)
    {
        var settings = app.Services.GetRequiredService<IOptions<ForwardedHeadersSettings>>().Value;
        var networks = settings.Networks();
        if (networks.Count == 0)
            return app;
        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto,
            // Walk X-Forwarded-For from the right while the hop is a trusted proxy: a chain of known proxies works,
            // and whatever a client wrote further left is never taken.
            ForwardLimit = null,
            RequireHeaderSymmetry = false,
        };
        options.KnownIPNetworks.Clear();
        options.KnownProxies.Clear();
        foreach (var network in networks)
            options.KnownIPNetworks.Add(network);
        app.UseForwardedHeaders(options);
        return app;
    }
}
