using System.Diagnostics;

namespace ArcBridgeDashboard.Bench.ProbeCost;

/// <summary>Debian's prometheus-blackbox-exporter on 127.0.0.1 with one http module that trusts the bench root.</summary>
public sealed class BlackboxExporter : IAsyncDisposable
{
    public const string Module = "https_bench";
    private readonly Process _process;

    private BlackboxExporter(Process process, Uri baseAddress, string version)
    {
        _process = process;
        BaseAddress = baseAddress;
        Version = version;
    }

    public Uri BaseAddress { get; }
    public int Pid => _process.Id;
    public string Version { get; }

    public static async Task<BlackboxExporter> StartAsync(string workDir, string rootPemPath, int port)
    {
        var config = Path.Combine(workDir, "blackbox.yml");
        // The same check our probe makes: TLS to a trusted root, any HTTP answer. HTTP/2 left at the exporter's default.
        await File.WriteAllTextAsync(config, $"""
            modules:
              {Module}:
                prober: http
                timeout: 5s
                http:
                  method: GET
                  preferred_ip_protocol: ip4
                  ip_protocol_fallback: false
                  fail_if_not_ssl: true
                  tls_config:
                    ca_file: {rootPemPath}
            """);
        var info = new ProcessStartInfo("/usr/bin/prometheus-blackbox-exporter")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { $"--config.file={config}", $"--web.listen-address=127.0.0.1:{port}", "--log.level=warn" })
            info.ArgumentList.Add(arg);
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start prometheus-blackbox-exporter");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var version = await VersionAsync();
        var exporter = new BlackboxExporter(process, new Uri($"http://127.0.0.1:{port}"), version);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            if (process.HasExited) throw new InvalidOperationException($"prometheus-blackbox-exporter exited with {process.ExitCode}");
            try
            {
                using var response = await client.GetAsync(new Uri(exporter.BaseAddress, "/metrics"));
                if (response.IsSuccessStatusCode) return exporter;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(100);
        }
        await exporter.DisposeAsync();
        throw new TimeoutException("prometheus-blackbox-exporter did not answer /metrics within 20 s");
    }

    private static async Task<string> VersionAsync()
    {
        var info = new ProcessStartInfo("/usr/bin/prometheus-blackbox-exporter", "--version") { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info)!;
        var text = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return text.Split('\n')[0].Trim();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
