using ArcBridgeDashboard.Web.Agents;
using ArcBridgeDashboard.Web.Configuration;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.StackExchangeRedis;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ArcBridgeDashboard.Web.Scale;

public static class ScaleExtensions
{
    /// <summary>
    /// Several replicas: the leader lease (always this process on SQLite, a PostgreSQL advisory lock otherwise) and,
    /// with ArcBridge:Redis:Configuration, the agents' hub on the SignalR Redis backplane plus live events relayed
    /// between replicas. Call after AddArcBridgeAgents.
    /// </summary>
    public static IHostApplicationBuilder AddArcBridgeScale(this IHostApplicationBuilder builder)
    {
        var database = builder.Configuration.GetSection(ArcBridgeOptions.SectionName).GetSection("Database").Get<DatabaseOptions>() ?? new();
        if (database.Kind == DatabaseProvider.PostgreSql)
        {
            if (string.IsNullOrWhiteSpace(database.ConnectionString))
                throw new OptionsValidationException("ArcBridge:Database", typeof(DatabaseOptions),
                    ["ArcBridge:Database:ConnectionString is required when ArcBridge:Database:Provider is PostgreSql (e.g. Host=db;Database=arcbridge;Username=arcbridge;Password=…)."]);
            builder.Services.AddSingleton(sp => new PostgresAdvisoryLease(database.ConnectionString, sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<PostgresAdvisoryLease>>()));
            builder.Services.AddSingleton<ILeaderLease>(sp => sp.GetRequiredService<PostgresAdvisoryLease>());
            builder.Services.AddHostedService(sp => sp.GetRequiredService<PostgresAdvisoryLease>());
        }
        else
            builder.Services.AddSingleton<ILeaderLease, SingleProcessLease>();

        builder.Services.AddOptions<RedisScaleOptions>().BindConfiguration(RedisScaleOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<RedisScaleOptions>, RedisScaleOptionsValidator>();
        var redis = builder.Configuration.GetSection(RedisScaleOptions.SectionName).Get<RedisScaleOptions>() ?? new();
        if (redis.Enabled)
        {
            builder.Services.AddSingleton<RedisConnection>();
            // The agents' hub only: Blazor circuits are sticky (nginx) and never addressed from another replica.
            builder.Services.AddSingleton<HubLifetimeManager<AgentHub>, RedisHubLifetimeManager<AgentHub>>();
            builder.Services.AddOptions<RedisOptions>().Configure<RedisConnection, IOptions<RedisScaleOptions>>((o, connection, scale) =>
            {
                o.ConnectionFactory = async log => await connection.ConnectAsync(log);
                o.Configuration.ChannelPrefix = RedisChannel.Literal($"{scale.Value.ChannelPrefix}:signalr");
            });
            builder.Services.AddHostedService<ReplicaEventRelay>();
        }
        return builder;
    }
}
