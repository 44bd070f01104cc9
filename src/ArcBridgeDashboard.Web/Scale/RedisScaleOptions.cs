using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ArcBridgeDashboard.Web.Scale;

/// <summary>
/// Several replicas, section "ArcBridge:Redis". Empty <see cref="Configuration"/>: one replica, everything in process.
/// Set: the agents' hub goes through the SignalR Redis backplane and live events reach every replica's browsers.
/// </summary>
public sealed class RedisScaleOptions
{
    public const string SectionName = "ArcBridge:Redis";

    /// <summary>A StackExchange.Redis configuration string, e.g. "redis:6379" or "10.0.0.5:6380,password=…,ssl=true".</summary>
    public string? Configuration { get; set; }

    /// <summary>Prefix of every Redis channel this dashboard uses, so several dashboards can share one Redis.</summary>
    public string ChannelPrefix { get; set; } = "ArcBridge";

    public bool Enabled => !string.IsNullOrWhiteSpace(Configuration);

    /// <summary>The parsed configuration; reconnects in the background instead of failing when Redis is briefly away.</summary>
    public ConfigurationOptions ToConfigurationOptions()
    {
        var parsed = ConfigurationOptions.Parse(Configuration!);
        parsed.AbortOnConnectFail = false;
        parsed.ClientName ??= $"arcbridge-{Environment.MachineName}";
        return parsed;
    }
}

/// <summary>Refuses to start on a Redis configuration string that does not parse or names no server.</summary>
public sealed class RedisScaleOptionsValidator : IValidateOptions<RedisScaleOptions>
{
    public ValidateOptionsResult Validate(string? name, RedisScaleOptions options)
    {
        if (!options.Enabled)
            return ValidateOptionsResult.Success;
        if (string.IsNullOrWhiteSpace(options.ChannelPrefix))
            return ValidateOptionsResult.Fail($"{RedisScaleOptions.SectionName}:ChannelPrefix must not be empty.");
        try
        {
            var parsed = ConfigurationOptions.Parse(options.Configuration!);
            return parsed.EndPoints.Count == 0
                ? ValidateOptionsResult.Fail($"{RedisScaleOptions.SectionName}:Configuration names no Redis server (expected e.g. \"redis:6379\").")
                : ValidateOptionsResult.Success;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException)
        {
            return ValidateOptionsResult.Fail($"{RedisScaleOptions.SectionName}:Configuration is not a valid StackExchange.Redis configuration string: {ex.Message}");
        }
    }
}

/// <summary>The one Redis connection of this replica, shared by the SignalR backplane and <see cref="ReplicaEventRelay"/>.</summary>
public sealed class RedisConnection(IOptions<RedisScaleOptions> options) : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private Task<IConnectionMultiplexer>? _connecting;

    public RedisChannel Channel(string name) => RedisChannel.Literal($"{options.Value.ChannelPrefix}:{name}");

    public Task<IConnectionMultiplexer> ConnectAsync(TextWriter? log = null)
    {
        lock (_gate)
            return _connecting ??= Connect(log);
    }

    private async Task<IConnectionMultiplexer> Connect(TextWriter? log) =>
        await ConnectionMultiplexer.ConnectAsync(options.Value.ToConfigurationOptions(), log);

    public async ValueTask DisposeAsync()
    {
        Task<IConnectionMultiplexer>? connecting;
        lock (_gate)
            connecting = _connecting;
        if (connecting is { IsCompletedSuccessfully: true })
            await connecting.Result.DisposeAsync();
    }
}
