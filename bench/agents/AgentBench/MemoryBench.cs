using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace ArcBridgeDashboard.Bench.Agents;

/// <summary>
/// Resident memory of the published agent (artifacts/agent/linux-x64: NativeAOT, or an older single-file build)
/// idle and mid-sweep, next to Debian's prometheus-blackbox-exporter with one http module, idle and after probes.
/// One target is a loopback TLS server that answers (both programs check its chain and send a GET, as real probes
/// do); the rest are silent listeners, so a sweep stays in its TLS phase until the phase timeout and can be sampled
/// mid-way. Mid-sweep is a scheduled sweep; start-up (with the agent's first sweep) is reported apart, for both. The agent is measured against a plain-HTTP dashboard and an HTTPS one. With soak seconds, the agent (HTTP)
/// then keeps sweeping every 10 s and its RSS is reported again: allocations and native heaps that only show after
/// many sweeps.
/// </summary>
public static class MemoryBench
{
    private const int TargetCount = 25;

    public static async Task<int> RunAsync(string root, TimeSpan soak)
    {
        using var stop = new CancellationTokenSource();
        // One target completes its TLS handshake and HTTP GET, so both programs build a certificate chain (and load
        // what that takes, e.g. the system trust store) as every real probe does; the silent rest hold the sweep open.
        using var certificate = BenchLab.SelfSignedCertificate();
        var listeners = Enumerable.Range(0, TargetCount - 1).Select(_ => Silent(stop.Token)).Prepend(Answering(certificate, stop.Token)).ToList();
        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToList();

        // ARCBRIDGE_BENCH_AGENT measures another build of the agent (e.g. one step of bench/agents/README.md's table).
        var published = Environment.GetEnvironmentVariable("ARCBRIDGE_BENCH_AGENT") is { Length: > 0 } other
            ? Path.GetFullPath(other)
            : Path.Combine(root, "artifacts", "agent", "linux-x64", "arcbridge-agent");
        var dll = Path.Combine(root, "src", "ArcBridgeDashboard.Agent", "bin", "Release", "net10.0", "arcbridge-agent.dll");
        var (file, prefix) = File.Exists(published) ? (published, Array.Empty<string>()) : ("dotnet", new[] { dll });
        // Plain HTTP to the dashboard is like for like with the exporter's plain-HTTP probe endpoint; HTTPS is how an
        // agent is deployed, and its live connection then holds OpenSSL state and touches libcrypto between sweeps.
        var plain = await MeasureAgentAsync(root, file, prefix, ports, https: false, soak);
        var tls = await MeasureAgentAsync(root, file, prefix, ports, https: true, TimeSpan.Zero);

        using var lab = new BenchLab(root);
        var port = BenchLab.FreePort();
        var config = Path.Combine(lab.Folder, "blackbox.yml");
        await File.WriteAllTextAsync(config, "modules:\n  http_2xx:\n    prober: http\n    timeout: 5s\n");
        // The exporter trusts the answering target (system roots plus the bench's certificate), so it completes TLS and
        // its GET like the agent, whose probe records the chain it does not trust and still sends the GET.
        var roots = Path.Combine(lab.Folder, "roots.pem");
        await File.WriteAllTextAsync(roots, await File.ReadAllTextAsync("/etc/ssl/certs/ca-certificates.crt") + certificate.ExportCertificatePem() + "\n");
        var exporter = lab.Start("/usr/bin/prometheus-blackbox-exporter", [$"--config.file={config}", $"--web.listen-address=127.0.0.1:{port}"],
            new Dictionary<string, string> { ["SSL_CERT_FILE"] = roots }, Path.Combine(lab.Folder, "blackbox.log"));
        var bbStartup = await PeakAsync(exporter, TimeSpan.FromSeconds(2));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        Task<HttpResponseMessage> Probe(int target) =>
            http.GetAsync($"http://127.0.0.1:{port}/probe?module=http_2xx&target={Uri.EscapeDataString($"https://127.0.0.1:{target}/")}");
        // Like the agent's first sweep before its idle figure: the exporter has probed the answering target once.
        using (var first = await Probe(ports[0]))
        {
            if (!(await first.Content.ReadAsStringAsync()).Contains("probe_success 1", StringComparison.Ordinal))
                throw new InvalidOperationException("blackbox_exporter did not complete its probe of the answering TLS target; see " + lab.Folder);
        }
        await Task.Delay(TimeSpan.FromSeconds(1));
        var bbIdle = await PeakAsync(exporter, TimeSpan.FromSeconds(3));
        var bbIdleSplit = AnonAndFile(exporter);
        var probes = ports.Select(Probe).ToList();
        var bbMid = await PeakAsync(exporter, TimeSpan.FromSeconds(4));
        await Task.WhenAll(probes);

        Console.WriteLine($"memory (RSS, MiB): agent {Describe(file)}, {TargetCount} targets; blackbox_exporter {TargetCount} concurrent probes");
        Console.WriteLine($"  blackbox idle {bbIdle,5:F1}    mid-probe {bbMid,5:F1}    start-up {bbStartup,5:F1}    idle anon / file {bbIdleSplit.Anon:F1} / {bbIdleSplit.File:F1}");
        foreach (var (name, m) in new[] { ("dashboard over HTTP ", plain), ("dashboard over HTTPS", tls) })
        {
            Console.WriteLine($"  agent, {name}: idle {m.Idle,5:F1} ({m.Idle / bbIdle:F2}x)    mid-sweep {m.Mid,5:F1} ({m.Mid / bbMid:F2}x)    start-up {m.Startup,5:F1} ({m.Startup / bbStartup:F2}x)   (aim <= 1.5x idle and mid-sweep)");
            Console.WriteLine($"    idle anon / file {m.IdleSplit.Anon:F1} / {m.IdleSplit.File:F1} (anon: {m.IdleSplit.Anon / bbIdleSplit.Anon:F2}x)");
        }
        if (plain.Soaked is { } s)
            Console.WriteLine($"  agent (HTTP) after {soak.TotalSeconds:F0} s of sweeps every 10 s: {s.Low:F1} between sweeps, {s.Peak:F1} mid-sweep");
        await stop.CancelAsync();
        foreach (var l in listeners)
            l.Stop();
        return 0;
    }

    private sealed record AgentMemory(double Startup, double Idle, (double Anon, double File) IdleSplit, double Mid, (double Peak, double Low)? Soaked);

    private static async Task<AgentMemory> MeasureAgentAsync(string root, string file, string[] prefix, List<int> ports, bool https, TimeSpan soak)
    {
        using var lab = new BenchLab(root, https);
        await lab.StartDashboardAsync();
        await lab.SeedLoopbackTargetsAsync(ports, kind: 0);
        var agent = lab.Start(file, [.. prefix, .. await RunArgumentsAsync(lab, "mem", 30)], new Dictionary<string, string>(), Path.Combine(lab.Folder, "agent.log"));
        // The process's own start-up (about a second, everything it runs once) and its first sweep; reported apart from
        // the steady state, next to the exporter's own start-up.
        var startup = await PeakAsync(agent, TimeSpan.FromSeconds(4));
        await Task.Delay(TimeSpan.FromSeconds(12));
        var idle = await PeakAsync(agent, TimeSpan.FromSeconds(3));       // between sweeps
        var split = AnonAndFile(agent);
        var mid = await PeakAsync(agent, TimeSpan.FromSeconds(16));       // covers the next scheduled sweep
        agent.Kill();
        var soaked = soak > TimeSpan.Zero ? await SoakAsync(lab, file, prefix, soak) : ((double Peak, double Low)?)null;
        return new AgentMemory(startup, idle, split, mid, soaked);
    }

    private static async Task<List<string>> RunArgumentsAsync(BenchLab lab, string name, int intervalSeconds)
    {
        List<string> args = ["run", "--server", lab.Server.ToString(), "--enroll-token", await lab.CreateTokenAsync(), "--name", name,
            "--role", "ApplianceVm", "--state-dir", Path.Combine(lab.Folder, name), "--interval", intervalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        if (lab.ServerCaPath is { } ca)
            args.AddRange(["--server-ca", ca]);
        return args;
    }

    /// <summary>A fresh agent sweeping every 10 s for <paramref name="soak"/>; then its RSS over one more sweep: peak and lowest.</summary>
    private static async Task<(double Peak, double Low)> SoakAsync(BenchLab lab, string file, string[] prefix, TimeSpan soak)
    {
        var agent = lab.Start(file, [.. prefix, .. await RunArgumentsAsync(lab, "soak", 10)], new Dictionary<string, string>(), Path.Combine(lab.Folder, "soak.log"));
        await Task.Delay(soak);
        var (peak, low) = (0.0, double.MaxValue);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            var rss = Rss(agent);
            (peak, low) = (Math.Max(peak, rss), Math.Min(low, rss));
            await Task.Delay(100);
        }
        agent.Kill();
        return (peak, low);
    }

    /// <summary>Which build was measured: NativeAOT output carries a __managedcode section, a single-file bundle does not.</summary>
    private static string Describe(string file)
    {
        if (file == "dotnet")
            return "dll on shared runtime (no published agent)";
        var size = new FileInfo(file).Length / 1024.0 / 1024.0;
        var nativeAot = File.ReadAllBytes(file).AsSpan().IndexOf("__managedcode"u8) >= 0;
        return $"{(nativeAot ? "NativeAOT" : "single-file self-contained")} {file} ({size:F1} MiB)";
    }

    private static async Task<double> PeakAsync(Process p, TimeSpan window)
    {
        var peak = 0.0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < window)
        {
            peak = Math.Max(peak, Rss(p));
            await Task.Delay(100);
        }
        return peak;
    }

    /// <summary>RssAnon and RssFile (MiB): the process's own memory, and the file pages (code, libraries) it has mapped.</summary>
    private static (double Anon, double File) AnonAndFile(Process p) => (StatusMiB(p, "RssAnon:"), StatusMiB(p, "RssFile:"));

    private static double Rss(Process p) => StatusMiB(p, "VmRSS:");

    /// <summary>A field of <c>/proc/PID/status</c> (kB there) in MiB; 0 if it is missing.</summary>
    private static double StatusMiB(Process p, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{p.Id}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024.0;
        }
        return 0;
    }

    /// <summary>A TLS server answering every GET with 200 (HTTP/1.1), with the bench's self-signed certificate.</summary>
    private static TcpListener Answering(X509Certificate2 certificate, CancellationToken stop)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        _ = Task.Run(async () =>
        {
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    var client = await listener.AcceptTcpClientAsync(stop);
                    _ = AnswerAsync(client, certificate);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // stopped
            }
        }, stop);
        return listener;
    }

    private static async Task AnswerAsync(TcpClient client, X509Certificate2 certificate)
    {
        using var _ = client;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await using var tls = new SslStream(client.GetStream());
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate }, timeout.Token);
            var buffer = new byte[4096];
            var read = 0;
            while (read < buffer.Length && buffer.AsSpan(0, read).IndexOf("\r\n\r\n"u8) < 0)
            {
                var n = await tls.ReadAsync(buffer.AsMemory(read), timeout.Token);
                if (n == 0)
                    return;
                read += n;
            }
            await tls.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"u8.ToArray(), timeout.Token);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or System.Security.Authentication.AuthenticationException)
        {
            // the client rejected the certificate or went away: expected for a self-signed server
        }
    }

    /// <summary>Accepts and holds connections without a byte: every probe waits for its timeout.</summary>
    private static TcpListener Silent(CancellationToken stop)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        _ = Task.Run(async () =>
        {
            var held = new List<TcpClient>();
            try
            {
                while (!stop.IsCancellationRequested)
                    held.Add(await listener.AcceptTcpClientAsync(stop));
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                foreach (var c in held)
                    c.Dispose();
            }
        }, stop);
        return listener;
    }
}
