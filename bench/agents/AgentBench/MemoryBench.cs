using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace ArcBridgeDashboard.Bench.Agents;

/// <summary>
/// Private memory (RssAnon) of the published agent (artifacts/agent/linux-x64: NativeAOT, or an older single-file
/// build) idle and mid-sweep, next to Debian's prometheus-blackbox-exporter with one http module, idle and mid-probe.
/// RssAnon, not VmRSS: mapped file pages (code, libraries) are page cache the kernel can drop and stay charged to a
/// cgroup whether a process maps them or not, so dropping them from RSS frees nothing a MemoryMax counts.
/// One target is a loopback TLS server that answers (both programs check its chain and send a GET, as real probes
/// do); the rest are silent listeners, so a sweep stays in its TLS phase until the phase timeout and can be sampled
/// mid-way. The agent's windows follow its log (process start, first sweep, idle until the next sweep, the scheduled
/// sweep until the dashboard holds its results); the exporter's are alike (a first round, 15 s idle, a second round,
/// each round until all 25 probes answered).
/// The agent is measured against a plain-HTTP dashboard and an HTTPS one. With soak seconds, the agent (HTTP) and a
/// fresh exporter then both run a round every 10 s side by side: what only shows after many rounds.
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
        var plain = await MeasureAgentAsync(root, file, prefix, ports, https: false);
        var tls = await MeasureAgentAsync(root, file, prefix, ports, https: true);

        using var lab = new BenchLab(root);
        var config = Path.Combine(lab.Folder, "blackbox.yml");
        await File.WriteAllTextAsync(config, "modules:\n  http_2xx:\n    prober: http\n    timeout: 5s\n");
        // The exporter trusts the answering target (system roots plus the bench's certificate), so it completes TLS and
        // its GET like the agent, whose probe records the chain it does not trust and still sends the GET.
        var roots = Path.Combine(lab.Folder, "roots.pem");
        await File.WriteAllTextAsync(roots, await File.ReadAllTextAsync("/etc/ssl/certs/ca-certificates.crt") + certificate.ExportCertificatePem() + "\n");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var exporter = new Exporter(lab, config, roots, http);
        var bbStartup = await PeakAsync(exporter.Process, TimeSpan.FromSeconds(2));
        await exporter.ProbeAnsweringAsync(ports[0]);
        // The exporter's rounds and idle follow the agent's: a first round, idle after it (about as long as between
        // the agent's sweeps), then a second round, each round until every probe has answered and 2 s more.
        var bbFirst = await exporter.RoundAsync(ports);
        await Task.Delay(TimeSpan.FromSeconds(2));
        var bbIdle = await PeakAsync(exporter.Process, TimeSpan.FromSeconds(15));
        var bbMid = await exporter.RoundAsync(ports);
        exporter.Process.Kill();

        Console.WriteLine($"memory (MiB): agent {Describe(file)}, {AgentEnvironment}, {TargetCount} targets; blackbox_exporter {TargetCount} concurrent probes");
        Console.WriteLine("  peak RssAnon (private memory) over each window; in brackets peak VmRSS / peak RssFile (mapped files: page cache, not counted)");
        Console.WriteLine($"  blackbox idle {bbIdle.Anon,5:F1} ({bbIdle.Rss:F1} / {bbIdle.File:F1})    mid-probe {bbMid.Anon,5:F1} ({bbMid.Rss:F1} / {bbMid.File:F1})    first round {bbFirst.Anon,5:F1}    start-up, before any probe {bbStartup.Anon,5:F1}");
        foreach (var (name, m) in new[] { ("dashboard over HTTP ", plain), ("dashboard over HTTPS", tls) })
        {
            Console.WriteLine($"  agent, {name}: idle {m.Idle.Anon,5:F1} ({m.Idle.Rss:F1} / {m.Idle.File:F1}) {m.Idle.Anon / bbIdle.Anon:F2}x    mid-sweep {m.Mid.Anon,5:F1} ({m.Mid.Rss:F1} / {m.Mid.File:F1}) {m.Mid.Anon / bbMid.Anon:F2}x   (aim <= 1.5x RssAnon; VmRSS {m.Idle.Rss / bbIdle.Rss:F2}x / {m.Mid.Rss / bbMid.Rss:F2}x)");
            Console.WriteLine($"    first sweep {m.FirstSweep.Anon,5:F1} ({m.FirstSweep.Anon / bbFirst.Anon:F2}x the exporter's first round)    process start, before it {m.ProcessStart.Anon,5:F1} ({m.ProcessStart.Anon / bbStartup.Anon:F2}x the exporter's start-up)");
        }
        if (soak > TimeSpan.Zero)
        {
            // Both soaked side by side: the agent (HTTP dashboard) sweeping every 10 s, a fresh exporter sent the same
            // 25 probes every 10 s, so the long-run figures compare like with like.
            Console.WriteLine($"  soak, {soak.TotalSeconds:F0} s of a round every 10 s (RssAnon peak / low over each minute's last round, MiB; in brackets VmRSS peak / low):");
            var agentSoak = SoakAgentAsync(root, file, prefix, ports, soak);
            var exporterSoak = SoakExporterAsync(lab, config, roots, http, ports, soak);
            await Task.WhenAll(agentSoak, exporterSoak);
            var (agentRounds, bbRounds) = (agentSoak.Result, exporterSoak.Result);
            for (var i = 0; i < Math.Min(agentRounds.Count, bbRounds.Count); i++)
            {
                var (a, b) = (agentRounds[i], bbRounds[i]);
                Console.WriteLine($"    {a.At.TotalSeconds,4:F0} s  agent {a.Peak.Anon,5:F1} / {a.Low.Anon,5:F1} ({a.Peak.Rss:F1} / {a.Low.Rss:F1})    blackbox {b.Peak.Anon,5:F1} / {b.Low.Anon,5:F1} ({b.Peak.Rss:F1} / {b.Low.Rss:F1})    peak {a.Peak.Anon / b.Peak.Anon:F2}x, low {a.Low.Anon / b.Low.Anon:F2}x");
            }
        }
        await stop.CancelAsync();
        foreach (var l in listeners)
            l.Stop();
        return 0;
    }

    /// <summary>VmRSS, RssAnon and RssFile (MiB); over a window each is its own peak (or low), not necessarily from the same sample.</summary>
    private sealed record Peak(double Rss, double Anon, double File)
    {
        public static readonly Peak None = new(0, 0, 0);
        public static readonly Peak Infinite = new(double.MaxValue, double.MaxValue, double.MaxValue);

        public static Peak Max(Peak a, Peak b) => new(Math.Max(a.Rss, b.Rss), Math.Max(a.Anon, b.Anon), Math.Max(a.File, b.File));

        public static Peak Min(Peak a, Peak b) => new(Math.Min(a.Rss, b.Rss), Math.Min(a.Anon, b.Anon), Math.Min(a.File, b.File));
    }

    /// <summary>
    /// The agent's environment as deployed (deploy/arcbridge-agent.service, deploy/agent.Dockerfile): at most two glibc
    /// malloc arenas, else every thread-pool thread that runs a probe's OpenSSL calls can get its own.
    /// </summary>
    private static readonly Dictionary<string, string> AgentEnvironmentVariables = new() { ["MALLOC_ARENA_MAX"] = "2" };

    private static string AgentEnvironment => string.Join(' ', AgentEnvironmentVariables.Select(v => $"{v.Key}={v.Value}"));

    private sealed record AgentMemory(Peak ProcessStart, Peak FirstSweep, Peak Idle, Peak Mid);

    /// <summary>
    /// Windows follow the agent's own log, not the clock: its process start (until the first sweep starts), its first
    /// sweep, idle (from the release after it to the next sweep: heartbeats included) and mid-sweep (the second,
    /// scheduled sweep); each sweep until the dashboard holds its results, and 2 s more.
    /// </summary>
    private static async Task<AgentMemory> MeasureAgentAsync(string root, string file, string[] prefix, List<int> ports, bool https)
    {
        using var lab = new BenchLab(root, https);
        await lab.StartDashboardAsync();
        await lab.SeedLoopbackTargetsAsync(ports, kind: 0);
        var log = Path.Combine(lab.Folder, "agent.log");
        var agent = lab.Start(file, [.. prefix, .. await RunArgumentsAsync(lab, "mem", 30)], AgentEnvironmentVariables, log);
        var limit = TimeSpan.FromSeconds(60);
        var processStart = await PeakUntilAsync(agent, () => Logged(log, "Sweep started (start)") > 0, limit, log);
        var firstSweep = await SweepPeakAsync(lab, agent, log, sweeps: 1, limit);
        // The release runs IdleMemory.Settle (3 s) after a sweep ends; SweepPeakAsync already waited 2 s of it.
        await Task.Delay(TimeSpan.FromSeconds(2));
        var idle = await PeakUntilAsync(agent, () => Logged(log, "Sweep started (schedule)") > 0, limit, log);
        var mid = await SweepPeakAsync(lab, agent, log, sweeps: 2, limit);
        agent.Kill();
        return new AgentMemory(processStart, firstSweep, idle, mid);
    }

    /// <summary>Peak until the agent has finished <paramref name="sweeps"/> sweeps and the dashboard holds their results, and 2 s more.</summary>
    private static async Task<Peak> SweepPeakAsync(BenchLab lab, Process agent, string log, int sweeps, TimeSpan limit) =>
        Peak.Max(await PeakUntilAsync(agent, async () => Logged(log, "Sweep finished") >= sweeps && await lab.CountResultsAsync() >= sweeps * TargetCount, limit, log),
            await PeakAsync(agent, TimeSpan.FromSeconds(2)));

    /// <summary>Lines of <paramref name="log"/> (still being written) that contain <paramref name="text"/>.</summary>
    private static int Logged(string log, string text)
    {
        using var reader = new StreamReader(new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        var count = 0;
        while (reader.ReadLine() is { } line)
            count += line.Contains(text, StringComparison.Ordinal) ? 1 : 0;
        return count;
    }

    private static async Task<List<string>> RunArgumentsAsync(BenchLab lab, string name, int intervalSeconds)
    {
        List<string> args = ["run", "--server", lab.Server.ToString(), "--enroll-token", await lab.CreateTokenAsync(), "--name", name,
            "--role", "ApplianceVm", "--state-dir", Path.Combine(lab.Folder, name), "--interval", intervalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        if (lab.ServerCaPath is { } ca)
            args.AddRange(["--server-ca", ca]);
        if (lab.Server.Scheme == Uri.UriSchemeHttp)
            args.Add("--insecure-http");
        return args;
    }

    /// <summary>One 10 s round of a soak: its peaks and its lows.</summary>
    private sealed record Round(TimeSpan At, Peak Peak, Peak Low);

    /// <summary>A fresh agent (HTTP dashboard) sweeping every 10 s for <paramref name="soak"/>; the last round of each minute.</summary>
    private static async Task<List<Round>> SoakAgentAsync(string root, string file, string[] prefix, List<int> ports, TimeSpan soak)
    {
        using var lab = new BenchLab(root);
        await lab.StartDashboardAsync();
        await lab.SeedLoopbackTargetsAsync(ports, kind: 0);
        var agent = lab.Start(file, [.. prefix, .. await RunArgumentsAsync(lab, "soak", 10)], AgentEnvironmentVariables, Path.Combine(lab.Folder, "soak.log"));
        return await RoundsAsync(agent, soak, () => { });
    }

    /// <summary>A fresh exporter sent the 25 probes every 10 s for <paramref name="soak"/>, like an agent's sweeps.</summary>
    private static async Task<List<Round>> SoakExporterAsync(BenchLab lab, string config, string roots, HttpClient http, List<int> ports, TimeSpan soak)
    {
        var exporter = new Exporter(lab, config, roots, http);
        await Task.Delay(TimeSpan.FromSeconds(2));
        var probes = new List<Task>();
        var rounds = await RoundsAsync(exporter.Process, soak, () =>
        {
            // Overlapping rounds would count against the exporter; the agent's sweeps never overlap.
            if (probes.Count > 0 && !probes[^1].IsCompleted)
                throw new InvalidOperationException("a blackbox_exporter round took longer than 10 s; see " + lab.Folder);
            probes.Add(exporter.ProbeAll(ports));
        });
        await Task.WhenAll(probes);
        return rounds;
    }

    /// <summary>Samples <paramref name="p"/> in 10 s rounds (each begun by <paramref name="round"/>) for soak plus one minute; keeps each minute's last round.</summary>
    private static async Task<List<Round>> RoundsAsync(Process p, TimeSpan soak, Action round)
    {
        var rounds = new List<Round>();
        var clock = Stopwatch.StartNew();
        for (var n = 1; n <= (int)Math.Ceiling(soak.TotalSeconds / 10) + 6; n++)
        {
            round();
            var (peak, low) = (Peak.None, Peak.Infinite);
            do
            {
                if (p.HasExited)
                    throw new InvalidOperationException($"{Path.GetFileName(p.StartInfo.FileName)} exited during the soak (code {p.ExitCode})");
                var now = Sample(p);
                (peak, low) = (Peak.Max(peak, now), Peak.Min(low, now));
                await Task.Delay(100);
            }
            while (clock.Elapsed < TimeSpan.FromSeconds(10 * n));
            if (n % 6 == 0)
                rounds.Add(new Round(clock.Elapsed, peak, low));
        }
        p.Kill();
        return rounds;
    }

    /// <summary>Debian's blackbox_exporter with one http module, trusting the bench's certificate; probes https:// targets.</summary>
    private sealed class Exporter
    {
        private readonly int _port = BenchLab.FreePort();
        private readonly HttpClient _http;
        private readonly string _log;

        public Exporter(BenchLab lab, string config, string roots, HttpClient http)
        {
            _http = http;
            _log = Path.Combine(lab.Folder, $"blackbox-{_port}.log");
            Process = lab.Start("/usr/bin/prometheus-blackbox-exporter", [$"--config.file={config}", $"--web.listen-address=127.0.0.1:{_port}"],
                new Dictionary<string, string> { ["SSL_CERT_FILE"] = roots }, _log);
        }

        public Process Process { get; }

        /// <summary>Probes the answering target and fails the bench unless the exporter completed TLS and its GET.</summary>
        public async Task ProbeAnsweringAsync(int target)
        {
            using var response = await ProbeAsync(target);
            if (!(await response.Content.ReadAsStringAsync()).Contains("probe_success 1", StringComparison.Ordinal))
                throw new InvalidOperationException($"blackbox_exporter did not complete its probe of the answering TLS target; see {_log}");
        }

        /// <summary>Peak over one round of <see cref="ProbeAll"/>: until every probe has answered, and 2 s more (like an agent's sweep until its results are pushed).</summary>
        public async Task<Peak> RoundAsync(IEnumerable<int> targets)
        {
            var probes = ProbeAll(targets);
            var peak = await PeakUntilAsync(Process, () => probes.IsCompleted, TimeSpan.FromSeconds(30), _log);
            await probes;
            return Peak.Max(peak, await PeakAsync(Process, TimeSpan.FromSeconds(2)));
        }

        /// <summary>All targets at once, as the agent's sweep probes them.</summary>
        public Task ProbeAll(IEnumerable<int> targets) => Task.WhenAll(targets.Select(async t => (await ProbeAsync(t)).Dispose()));

        private Task<HttpResponseMessage> ProbeAsync(int target) =>
            _http.GetAsync($"http://127.0.0.1:{_port}/probe?module=http_2xx&target={Uri.EscapeDataString($"https://127.0.0.1:{target}/")}");
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

    private static Task<Peak> PeakAsync(Process p, TimeSpan window)
    {
        var clock = Stopwatch.StartNew();
        return PeakUntilAsync(p, () => clock.Elapsed >= window, window + TimeSpan.FromSeconds(1), log: null);
    }

    private static Task<Peak> PeakUntilAsync(Process p, Func<bool> done, TimeSpan limit, string? log) =>
        PeakUntilAsync(p, () => Task.FromResult(done()), limit, log);

    /// <summary>Samples every 100 ms until <paramref name="done"/>; fails the bench if the process exits or that takes longer than <paramref name="limit"/>.</summary>
    private static async Task<Peak> PeakUntilAsync(Process p, Func<Task<bool>> done, TimeSpan limit, string? log)
    {
        var peak = Peak.None;
        var clock = Stopwatch.StartNew();
        var name = Path.GetFileName(p.StartInfo.FileName);
        do
        {
            if (p.HasExited)
                throw new InvalidOperationException($"{name} exited (code {p.ExitCode}); see {log}");
            if (clock.Elapsed > limit)
                throw new InvalidOperationException($"{name} did not reach the expected point within {limit.TotalSeconds:F0} s; see {log}");
            peak = Peak.Max(peak, Sample(p));
            await Task.Delay(100);
        }
        while (!await done());
        return peak;
    }

    /// <summary>VmRSS, RssAnon and RssFile from one read of <c>/proc/PID/status</c> (kB there), in MiB.</summary>
    private static Peak Sample(Process p)
    {
        double Field(string[] lines, string name) =>
            lines.FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal)) is { } line
                ? long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024.0
                : 0;
        var status = File.ReadAllLines($"/proc/{p.Id}/status");
        return new Peak(Field(status, "VmRSS:"), Field(status, "RssAnon:"), Field(status, "RssFile:"));
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

    /// <summary>Accepts connections and never sends a byte, so every probe waits for its timeout; each is closed once the prober gives up on it.</summary>
    private static TcpListener Silent(CancellationToken stop)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        _ = Task.Run(async () =>
        {
            try
            {
                while (!stop.IsCancellationRequested)
                    _ = HoldAsync(await listener.AcceptTcpClientAsync(stop), stop);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // stopped
            }
        }, stop);
        return listener;
    }

    /// <summary>Reads (and ignores) what the prober sends until it closes the connection, then closes ours: a long soak holds no dead sockets.</summary>
    private static async Task HoldAsync(TcpClient client, CancellationToken stop)
    {
        using var _ = client;
        var buffer = new byte[4096];
        try
        {
            while (await client.GetStream().ReadAsync(buffer, stop) > 0)
            {
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // the prober reset the connection, or the bench stopped
        }
    }
}
