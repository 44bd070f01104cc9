using ArcBridgeDashboard.Probes.Sweeps;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Polly;

namespace ArcBridgeDashboard.Agent.Run;

/// <summary>The long-running agent: enrol (once), then plan poll, sweeps, outbox push and the live connection as hosted services.</summary>
public static class RunHost
{
    /// <summary>The state folder holds the credential and the plan (which may carry the proxy password): owner-only.</summary>
    private static void CreateOwnerOnlyDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
            Directory.CreateDirectory(path);
        else
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public static async Task<int> RunAsync(RunOptions options, TextWriter stderr, CancellationToken cancellationToken)
    {
        var trust = ServerTrust.Load(options.ServerCa);
        CreateOwnerOnlyDirectory(options.StateDirectory);
        AgentCredential credential;
        try
        {
            using var enrolHttp = new HttpClient(trust.CreateHandler()) { Timeout = TimeSpan.FromSeconds(30) };
            credential = await Enroller.EnsureEnrolledAsync(options, enrolHttp, stderr, cancellationToken);
        }
        catch (ServerUnreachableException ex)
        {
            // Transient: a service manager should try again (the systemd unit restarts on exit code 1).
            await stderr.WriteLineAsync($"error: {ex.Message}");
            return 1;
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Services.AddWindowsService(o => o.ServiceName = "ArcBridgeAgent");
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ "; o.UseUtcTimestamp = true; });
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        builder.Logging.AddFilter("Polly", LogLevel.Error); // our own messages say when a push fails

        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton(credential);
        services.AddSingleton(trust);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<RejectionState>();
        services.AddSingleton<CheckNowSignal>();
        services.AddSingleton(sp => new PlanSchedule(options.Interval, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IdleMemory>();
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<LiveState>();
        services.AddSingleton(sp =>
        {
            var store = new PlanStore(options);
            store.LoadFromDisk();
            return store;
        });
        services.AddSingleton(sp => Outbox.OpenAsync(options.OutboxPath, options.OutboxMaxRows, sp.GetRequiredService<ILogger<Outbox>>(), cancellationToken).GetAwaiter().GetResult());
        services.AddSingleton(sp => new SweepRunner(new TargetProber(TimeProvider.System, sp.GetRequiredService<ILogger<TargetProber>>())));
        services.AddTransient<AgentHeadersHandler>();
        var httpClient = services.AddHttpClient<DashboardClient>(http =>
            {
                http.BaseAddress = options.Server;
                http.Timeout = Timeout.InfiniteTimeSpan; // the resilience pipeline owns timeouts
            });
        httpClient.ConfigurePrimaryHttpMessageHandler(() => trust.CreateHandler());
        // Outer to inner: timeouts and retries, then the headers (fresh agent time on every attempt).
        httpClient.AddResilienceHandler("dashboard", pipeline =>
            {
                pipeline.AddTimeout(TimeSpan.FromSeconds(60));
                // Ingest is idempotent on result ids, so retrying a POST is safe.
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = 4, BackoffType = DelayBackoffType.Exponential, UseJitter = true, Delay = TimeSpan.FromMilliseconds(500),
                });
                pipeline.AddTimeout(TimeSpan.FromSeconds(15));
            });
        httpClient.AddHttpMessageHandler<AgentHeadersHandler>();
        services.AddHostedService<PlanPoller>();
        services.AddHostedService<SweepScheduler>();
        services.AddHostedService<OutboxPusher>();
        if (!options.NoLive)
            services.AddHostedService<LiveConnection>();

        using var host = builder.Build();
        var state = host.Services.GetRequiredService<RejectionState>(); // RunAsync disposes the container
        await host.RunAsync(cancellationToken);
        var rejection = state.Reason;
        if (rejection is not null)
        {
            await stderr.WriteLineAsync($"error: {rejection}");
            return RejectionState.ExitCode;
        }
        return 0;
    }
}
