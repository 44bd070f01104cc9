using System.Diagnostics;
using System.Text;

namespace ArcBridgeDashboard.Testing;

/// <summary>
/// The dashboard published from this build (<c>dotnet publish --no-build</c> in the tests' configuration), so it serves
/// the published static assets exactly as in production. Published once per build into
/// <c>artifacts/test-publish/web-{Configuration}</c> and shared by every test process: Web.Tests and EndToEnd.Tests,
/// which run at the same time, take turns through a lock file and reuse a publish that matches the build.
/// </summary>
internal static class PublishedDashboard
{
    private static readonly SemaphoreSlim InProcess = new(1, 1);

    /// <summary>The published ArcBridgeDashboard.Web.dll, publishing it first when the build changed since the last publish.</summary>
    public static async Task<string> DllAsync(TimeSpan timeout)
    {
        var output = Path.Combine(RepositoryRoot.Path, "artifacts", "test-publish", "web-" + RepositoryRoot.Configuration);
        var dll = Path.Combine(output, "ArcBridgeDashboard.Web.dll");
        var stampPath = output + ".stamp";
        using var cts = new CancellationTokenSource(timeout);
        await InProcess.WaitAsync(cts.Token);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(output)!);
            await using var crossProcess = await LockAsync(output + ".lock", cts.Token);
            var stamp = BuildStamp();
            if (File.Exists(dll) && File.Exists(stampPath) && await File.ReadAllTextAsync(stampPath, cts.Token) == stamp)
                return dll;
            File.Delete(stampPath);
            if (Directory.Exists(output))
                Directory.Delete(output, recursive: true);
            await PublishAsync(output, cts.Token);
            if (!File.Exists(dll))
                throw new InvalidOperationException($"dotnet publish left no {dll}");
            await File.WriteAllTextAsync(stampPath, stamp, cts.Token);
            return dll;
        }
        finally
        {
            InProcess.Release();
        }
    }

    /// <summary>What the publish is made from: the build's assembly and static web asset manifest, and the top-level wwwroot.</summary>
    private static string BuildStamp()
    {
        var web = Path.Combine(RepositoryRoot.Path, "src", "ArcBridgeDashboard.Web");
        var files = new[]
        {
            RepositoryRoot.BuildOutput("ArcBridgeDashboard.Web", "ArcBridgeDashboard.Web.dll"),
            Path.Combine(web, "obj", RepositoryRoot.Configuration, "net10.0", "staticwebassets.build.json"),
        }.Concat(Directory.EnumerateFiles(Path.Combine(RepositoryRoot.Path, "wwwroot"), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal));
        var stamp = new StringBuilder();
        foreach (var file in files.Select(f => new FileInfo(f)))
            stamp.Append(file.FullName).Append(' ').Append(file.Exists ? $"{file.Length} {file.LastWriteTimeUtc.Ticks}" : "-").Append('\n');
        return stamp.ToString();
    }

    /// <summary>An exclusive lock on <paramref name="path"/> (flock on Linux), waiting while another process holds it.</summary>
    private static async Task<FileStream> LockAsync(string path, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                await Task.Delay(200, cancellationToken); // another test process is publishing
            }
        }
    }

    private static async Task PublishAsync(string output, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepositoryRoot.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "publish", Path.Combine(RepositoryRoot.Path, "src", "ArcBridgeDashboard.Web"), "-c", RepositoryRoot.Configuration, "--no-build", "-o", output, "-nologo" })
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"dotnet publish failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
    }
}
