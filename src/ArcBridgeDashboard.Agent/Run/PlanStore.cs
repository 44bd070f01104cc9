using System.Text.Json;
using ArcBridgeDashboard.Probes.Contracts;

namespace ArcBridgeDashboard.Agent.Run;

/// <summary>
/// The current plan, also kept on disk: an agent restarted while the server is down sweeps with its last plan.
/// </summary>
public sealed class PlanStore(RunOptions options)
{
    private readonly TaskCompletionSource _firstPlan = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile StoredPlan? _current;

    public AgentPlan? Plan => _current?.Plan;
    public string? ETag => _current?.ETag;

    public event Action<AgentPlan>? Changed;

    public Task WhenAvailableAsync(CancellationToken cancellationToken) => _firstPlan.Task.WaitAsync(cancellationToken);

    public void LoadFromDisk()
    {
        if (!File.Exists(options.PlanPath))
            return;
        // A file left by an older version (or copied in) may be world-readable; the plan may carry the proxy password.
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(options.PlanPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        try
        {
            if (JsonSerializer.Deserialize(File.ReadAllText(options.PlanPath), AgentJson.Default.StoredPlan) is { } stored)
                Set(stored, persist: false);
        }
        catch (JsonException)
        {
            // a torn or old-format file: the server will send a fresh plan
        }
    }

    public void Update(AgentPlan plan, string? etag) => Set(new StoredPlan(plan, etag), persist: true);

    private void Set(StoredPlan stored, bool persist)
    {
        _current = stored;
        if (persist)
        {
            // Owner-only like the credential: the plan may carry the proxy password.
            var temp = options.PlanPath + ".tmp";
            var file = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
                file.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var stream = new FileStream(temp, file))
                JsonSerializer.Serialize(stream, stored, AgentJson.Default.StoredPlan);
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite); // UnixCreateMode is ignored for an existing file
            File.Move(temp, options.PlanPath, overwrite: true);
        }
        _firstPlan.TrySetResult();
        Changed?.Invoke(stored.Plan);
    }
}

/// <summary>plan.json: the last plan and its ETag.</summary>
internal sealed record StoredPlan(AgentPlan Plan, string? ETag);
