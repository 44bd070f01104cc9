using System.Diagnostics;
using System.Globalization;
using ArcBridgeDashboard.Bench.Common;

namespace ArcBridgeDashboard.Bench.ProbeCost;

/// <summary>One batch of sequential probes on one side: CPU and wall per probe, outcomes, and the JIT work done meanwhile.</summary>
public sealed record Batch(double CpuMsPerProbe, double WallMsPerProbe, int Pass, int Fail, double JitMs, long JitMethods, string FirstOutcome);

/// <summary>A <see cref="BatchWorker"/> process (our engine, JIT or NativeAOT, or the bare .NET floor), driven over stdin/stdout.</summary>
public sealed class WorkerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private WorkerProcess(Process process, string runtime)
    {
        _process = process;
        Runtime = runtime;
    }

    /// <summary>The runtime settings the worker reported (JIT or NativeAOT, GC, thread pool, globalization).</summary>
    public string Runtime { get; }

    public bool IsNativeAot => Runtime.StartsWith("NativeAOT", StringComparison.Ordinal);

    public bool IsInvariantGlobalization => Runtime.Contains("invariant globalization", StringComparison.Ordinal);

    /// <summary>This bench again, JIT-compiled, with a worker verb.</summary>
    /// <param name="invariantGlobalization">The agent's globalization mode, which the bench's own project does not share.</param>
    public static Task<WorkerProcess> StartAsync(string verb, int port, string rootPem, bool invariantGlobalization)
    {
        var info = SelfProcess.StartInfo(verb, WorkerArgs(port, rootPem));
        if (invariantGlobalization) info.Environment["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = "1";
        return StartAsync(info, verb);
    }

    /// <summary>A worker executable of its own (the NativeAOT build of the probe worker).</summary>
    public static Task<WorkerProcess> StartExecutableAsync(string path, int port, string rootPem)
    {
        var info = new ProcessStartInfo(path) { UseShellExecute = false };
        foreach (var arg in WorkerArgs(port, rootPem)) info.ArgumentList.Add(arg);
        // The same environment SelfProcess gives the JIT workers.
        info.Environment["DOTNET_gcServer"] = "0";
        return StartAsync(info, Path.GetFileName(path));
    }

    private static string[] WorkerArgs(int port, string rootPem) => ["--port", port.ToString(CultureInfo.InvariantCulture), "--root", rootPem];

    private static async Task<WorkerProcess> StartAsync(ProcessStartInfo info, string name)
    {
        info.RedirectStandardInput = true;
        info.RedirectStandardOutput = true;
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {name}");
        var ready = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        if (ready is null || !ready.StartsWith("ready ", StringComparison.Ordinal))
        {
            if (!process.HasExited) process.Kill();
            throw new InvalidOperationException($"{name} did not start");
        }
        return new WorkerProcess(process, ready["ready ".Length..]);
    }

    public async Task<Batch> RunAsync(int count)
    {
        await _process.StandardInput.WriteLineAsync(count.ToString(CultureInfo.InvariantCulture));
        await _process.StandardInput.FlushAsync();
        var line = await _process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(120))
            ?? throw new InvalidOperationException("a probe worker ended early");
        var parts = line.Split(' ');
        double Number(int i) => double.Parse(parts[i], CultureInfo.InvariantCulture);
        return new Batch(Number(0) / count, Number(1) / count, (int)Number(2), (int)Number(3), Number(4), (long)Number(5), parts[6]);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(TimeSpan.FromSeconds(10))) _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
