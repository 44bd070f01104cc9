using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Configuration;
using Microsoft.Data.Sqlite;

namespace ArcBridgeDashboard.EndToEnd.Tests.Agents;

/// <summary>
/// A real dashboard process on 127.0.0.1 with a temp SQLite file, agent processes beside it, and loopback TCP
/// listeners as the only probe targets (the catalog's targets are retired and replaced by 127.0.0.1 ones, and
/// the built-in agent is off unless the test prepared a loopback-only database), so nothing leaves the machine.
/// </summary>
public sealed class AgentLab : IAsyncDisposable
{
    private readonly List<TcpListener> _listeners = [];
    private readonly List<ChildProcess> _children = [];
    private readonly CancellationTokenSource _stop = new();

    /// <param name="address">Where the dashboard and the target listeners bind: loopback, or our own netns veth address.</param>
    /// <param name="https">Serve the dashboard over HTTPS with a certificate from a test-made root (<see cref="Tls"/>).</param>
    public AgentLab(string address = "127.0.0.1", bool https = false)
    {
        Address = IPAddress.Parse(address);
        Tls = https ? DashboardCertificate.Create(Address) : null;
        Folder = Path.Combine(Path.GetTempPath(), "arcbridge-agent-e2e", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        DatabasePath = Path.Combine(Folder, "dashboard.db");
        Port = ChildProcess.FreePort();
    }

    public IPAddress Address { get; }
    public DashboardCertificate? Tls { get; }
    public string Folder { get; }
    public string DatabasePath { get; }
    /// <summary>The dashboard's port: chosen free before the start, and chosen again if another process took it meanwhile.</summary>
    public int Port { get; private set; }
    public Uri ServerUrl => new($"{(Tls is null ? "http" : "https")}://{Address}:{Port}");

    /// <summary>
    /// Where a browser opens the dashboard: <see cref="ServerUrl"/> on loopback, or the same port on 127.0.0.1 as well
    /// when the lab binds a namespace's veth address (the browser talks to 127.0.0.1 only).
    /// </summary>
    public Uri BrowserUrl => IPAddress.IsLoopback(Address) ? ServerUrl : new($"{(Tls is null ? "http" : "https")}://127.0.0.1:{Port}");
    public ChildProcess? Dashboard { get; private set; }

    /// <param name="builtInAgent">
    /// Also run the built-in agent, sweeping at once: only on a database prepared beforehand with loopback targets
    /// (<see cref="Support.DashboardDatabase"/>), since it would otherwise sweep the default catalog's Internet names.
    /// </param>
    /// <param name="publishedDll">
    /// Run this published dashboard (<see cref="Testing.PublishedDashboard"/>) in Production, serving the published static
    /// assets; null: the build output in Development.
    /// </param>
    /// <param name="settings">More environment for the process (e.g. ArcBridge__Redis__Configuration for replicas).</param>
    public async Task StartDashboardAsync(bool builtInAgent = false, string? publishedDll = null, IReadOnlyDictionary<string, string>? settings = null)
    {
        (Dashboard, Port) = await StartDashboardProcessAsync(Port, builtInAgent, publishedDll, settings);
    }

    /// <summary>
    /// Another dashboard process on the same database (a second replica), on its own port; <see cref="Dashboard"/>
    /// stays the first. Start it once the first has migrated the database.
    /// </summary>
    public async Task<(ChildProcess Process, Uri Url)> StartReplicaAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        var (process, port) = await StartDashboardProcessAsync(ChildProcess.FreePort(), builtInAgent: false, publishedDll: null, settings);
        return (process, new Uri($"http://{Address}:{port}"));
    }

    /// <summary>
    /// Starts a dashboard on <paramref name="port"/>, or on another free port when that one was taken between choosing
    /// it and the dashboard binding it (its start-up takes seconds, and other tests bind ports meanwhile); its port.
    /// </summary>
    private async Task<(ChildProcess Process, int Port)> StartDashboardProcessAsync(int port, bool builtInAgent, string? publishedDll, IReadOnlyDictionary<string, string>? settings)
    {
        for (var attempt = 1; ; attempt++)
        {
            var dashboard = await TryStartDashboardProcessAsync(port, builtInAgent, publishedDll, settings);
            if (dashboard is not null)
                return (dashboard, port);
            if (attempt == 3)
                Assert.Fail($"Three dashboards in a row found their port taken; the last tried {port}.");
            port = ChildProcess.FreePort();
        }
    }

    /// <returns>The running dashboard, answering on its port; null when its port was taken (it exited).</returns>
    private async Task<ChildProcess?> TryStartDashboardProcessAsync(int port, bool builtInAgent, string? publishedDll, IReadOnlyDictionary<string, string>? settings)
    {
        var serverUrl = new Uri($"{(Tls is null ? "http" : "https")}://{Address}:{port}");
        var browserUrl = IPAddress.IsLoopback(Address) ? serverUrl : new Uri($"{(Tls is null ? "http" : "https")}://127.0.0.1:{port}");
        var environment = new Dictionary<string, string>
        {
            ["ArcBridge__Agents__PollSeconds"] = "1",
            ["ArcBridge__DatabasePath"] = DatabasePath,
            ["ArcBridge__BuiltInAgentEnabled"] = builtInAgent ? "true" : "false",
            ["ArcBridge__FirstSweepDelay"] = "00:00:00",
            ["ArcBridge__LogDirectory"] = Path.Combine(Folder, "logs"),
            // Development: static web assets (MudBlazor, blazor.web.js) are served from the build output, not a publish folder.
            ["ASPNETCORE_ENVIRONMENT"] = publishedDll is null ? "Development" : "Production",
        };
        if (Tls is not null)
        {
            environment["Kestrel__Certificates__Default__Path"] = Tls.WritePfx(Folder);
            environment["Kestrel__Certificates__Default__Password"] = DashboardCertificate.PfxPassword;
        }
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            environment[key] = value;
        var urls = browserUrl == serverUrl ? serverUrl.ToString() : $"{serverUrl};{browserUrl}";
        var dashboard = ChildProcess.Start(publishedDll ?? Binaries.WebDll, ["--urls", urls], environment,
            Path.Combine(Folder, port == Port ? "dashboard.log" : $"dashboard-{port}.log"));
        _children.Add(dashboard);
        // Readiness probe only: the agents under test validate the certificate themselves.
        using var http = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator }) { Timeout = TimeSpan.FromSeconds(5) };
        // Waits while the dashboard keeps starting (its CPU time grows): on a loaded machine start-up took over a
        // minute; a dashboard that hangs or exits still fails after 30 s without progress. The answer must come from
        // this process: its own log says it listens on the port (another test's dashboard could have taken it).
        var listening = $"Now listening on: {serverUrl.Scheme}://{Address}:{port}";
        var taken = false;
        await Eventually.WaitWhileProgressingAsync(async () =>
        {
            if (dashboard.HasExited && dashboard.Output.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                taken = true;
                return (true, "");
            }
            if (!dashboard.Output.Contains(listening, StringComparison.Ordinal))
                return (false, $"{dashboard.CpuTime.TotalMilliseconds:0} ms CPU, {dashboard.Output.Length} log characters, not listening yet");
            try
            {
                return ((await http.GetAsync(new Uri(serverUrl, "/api/agents/plan"))).StatusCode == HttpStatusCode.Unauthorized, "");
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet, or listening but too busy starting to answer within 5 s.
                return (false, $"{dashboard.CpuTime.TotalMilliseconds:0} ms CPU, {dashboard.Output.Length} log characters");
            }
        }, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(4), "the dashboard to answer", () => dashboard.Output);
        if (!taken)
            return dashboard;
        _children.Remove(dashboard);
        dashboard.Dispose();
        return null;
    }

    public IReadOnlyList<int> TargetPorts => [.. _listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];

    /// <summary>Retires every catalog target and adds <paramref name="count"/> targets on our own listeners (both roles).</summary>
    /// <param name="endpointEach">Put each target on its own catalog endpoint (each then has its own interval), not all on the first.</param>
    /// <param name="kind">
    /// TcpDirect: a connect only; the listener closes every connection at once. Https: a TLS handshake that fails the
    /// same way every time: the listener reads the ClientHello, then closes (end of stream, not a reset).
    /// </param>
    public async Task SeedLoopbackTargetsAsync(int count, bool endpointEach = false, ProbeKind kind = ProbeKind.TcpDirect)
    {
        for (var i = 0; i < count; i++)
            Listen(readFirst: kind == ProbeKind.Https);
        await using var db = await OpenDatabaseAsync();
        var endpointIds = new List<long>();
        await using (var command = db.CreateCommand())
        {
            command.CommandText = $"SELECT e.Id FROM Endpoints e JOIN CatalogVersions c ON c.Id = e.CatalogVersionId WHERE c.IsActive = 1 AND e.Cloud = 0 ORDER BY e.Id LIMIT {(endpointEach ? count : 1)}";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                endpointIds.Add(reader.GetInt64(0));
        }
        await ExecAsync(db, $"UPDATE Targets SET RetiredAt = {DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()} WHERE RetiredAt IS NULL");
        for (var i = 0; i < _listeners.Count; i++)
        {
            var port = ((IPEndPoint)_listeners[i].LocalEndpoint).Port;
            await ExecAsync(db, $"INSERT INTO Targets (EndpointId, Key, Host, Port, Protocol, Kind, Sources, Required, BypassProxy, ExpansionNote) VALUES ({endpointIds[endpointEach ? i : 0]}, '{Address}:{port}/tcp', '{Address}', {port}, 0, {(int)kind}, 3, 1, 1, 'e2e loopback')");
        }
    }

    /// <summary>
    /// A new TCP listener of the lab on <see cref="Address"/> that accepts and closes every connection (a TcpDirect
    /// target that passes); its port. For a catalog prepared beforehand (<see cref="Support.DashboardDatabase"/>).
    /// </summary>
    /// <param name="readFirst">Close only once the client sent something (a TLS handshake that fails the same way every time).</param>
    public int Listen(bool readFirst = false)
    {
        var listener = new TcpListener(Address, 0);
        listener.Start();
        _listeners.Add(listener);
        _ = AcceptForeverAsync(listener, readFirst);
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Adds one more (TcpDirect) target on a new listener of ours (what a catalog or settings change does to the plan).</summary>
    public async Task AddTargetAsync()
    {
        var port = Listen();
        await using var db = await OpenDatabaseAsync();
        var endpointId = await ScalarAsync<long>(db, "SELECT EndpointId FROM Targets WHERE RetiredAt IS NULL LIMIT 1");
        await ExecAsync(db, $"INSERT INTO Targets (EndpointId, Key, Host, Port, Protocol, Kind, Sources, Required, BypassProxy, ExpansionNote) VALUES ({endpointId}, '{Address}:{port}/tcp', '{Address}', {port}, 0, 2, 3, 1, 1, 'e2e loopback')");
    }

    /// <summary>
    /// What the endpoint drill-down's interval editor saves: the interval of the endpoint behind the target on
    /// <paramref name="port"/>, or null for the global one. The editor offers whole minutes; seconds here let a test
    /// use the agent's own floor (<c>PlanSettings.MinIntervalSeconds</c>) and stay short.
    /// </summary>
    public async Task SetEndpointIntervalAsync(int port, int? seconds)
    {
        await using var db = await OpenDatabaseAsync();
        await ExecAsync(db, $"UPDATE Endpoints SET IntervalSeconds = {(seconds is { } s ? s.ToString(CultureInfo.InvariantCulture) : "NULL")} WHERE Id = (SELECT EndpointId FROM Targets WHERE Port = {port} AND RetiredAt IS NULL)");
    }

    /// <summary>What the Settings page saves for the global interval (the stored settings row, other values kept).</summary>
    public async Task SetGlobalIntervalAsync(int minutes)
    {
        await using var db = await OpenDatabaseAsync();
        await using var command = db.CreateCommand();
        command.CommandText = "SELECT Value FROM Settings WHERE Key = $key";
        command.Parameters.AddWithValue("$key", DashboardSettingsStore.SettingsKey);
        var stored = await command.ExecuteScalarAsync() is string json ? JsonSerializer.Deserialize<DashboardSettings>(json, ProbeJson.Options)! : new DashboardSettings();
        command.CommandText = "INSERT INTO Settings (Key, Value, UpdatedAt) VALUES ($key, $value, $at) ON CONFLICT(Key) DO UPDATE SET Value = excluded.Value, UpdatedAt = excluded.UpdatedAt";
        command.Parameters.AddWithValue("$value", JsonSerializer.Serialize(stored with { IntervalMinutes = minutes }, ProbeJson.Options));
        command.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>An enrolment token written straight into the database (what the Agents page does), valid for an hour.</summary>
    public async Task<string> CreateTokenAsync()
    {
        var token = "abe_e2e_" + Guid.NewGuid().ToString("N");
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await using var db = await OpenDatabaseAsync();
        await ExecAsync(db, $"INSERT INTO EnrollmentTokens (TokenHash, Note, CreatedAt, ExpiresAt) VALUES ('{hash}', 'e2e', {now}, {now + 3_600_000})");
        return token;
    }

    /// <param name="intervalSeconds">The agent's own --interval (overrides every interval of the plan), or null to follow the plan.</param>
    public ChildProcess StartAgent(string name, string role, string stateDir, string? token, int? intervalSeconds, params string[] extra)
        => StartAgentIn(null, name, role, stateDir, token, intervalSeconds, extra);

    /// <param name="netns">Run the agent inside this network namespace (ip netns exec), or on the host when null.</param>
    public ChildProcess StartAgentIn(string? netns, string name, string role, string stateDir, string? token, int? intervalSeconds, params string[] extra)
        => StartAgentVia(netns, ServerUrl, name, role, stateDir, token, intervalSeconds, extra);

    /// <param name="server">The URL the agent is given (the dashboard's own, or a relay in front of it).</param>
    public ChildProcess StartAgentVia(string? netns, Uri server, string name, string role, string stateDir, string? token, int? intervalSeconds, params string[] extra)
    {
        var args = RunArguments(server, name, role, stateDir, token, intervalSeconds, extra);
        var log = Path.Combine(Folder, $"agent-{name}.log");
        var agent = netns is null
            ? ChildProcess.Start(Binaries.AgentDll, args, new Dictionary<string, string>(), log)
            : ChildProcess.StartCommand("ip", ["netns", "exec", netns, "dotnet", Binaries.AgentDll, .. args], log);
        _children.Add(agent);
        return agent;
    }

    /// <summary>`run` with the published NativeAOT agent (<see cref="Binaries.PublishedAgent"/>) instead of the JIT build.</summary>
    public ChildProcess StartPublishedAgent(string name, string role, string stateDir, string? token, int? intervalSeconds, params string[] extra)
        => StartPublishedAgentIn(null, name, role, stateDir, token, intervalSeconds, extra);

    /// <param name="netns">Run the published agent inside this network namespace (ip netns exec), or on the host when null.</param>
    public ChildProcess StartPublishedAgentIn(string? netns, string name, string role, string stateDir, string? token, int? intervalSeconds, params string[] extra)
    {
        var args = RunArguments(ServerUrl, name, role, stateDir, token, intervalSeconds, extra);
        var log = Path.Combine(Folder, $"agent-{name}.log");
        var agent = netns is null
            ? ChildProcess.StartCommand(Binaries.PublishedAgent, args, log)
            : ChildProcess.StartCommand("ip", ["netns", "exec", netns, Binaries.PublishedAgent, .. args], log);
        _children.Add(agent);
        return agent;
    }

    private static List<string> RunArguments(Uri server, string name, string role, string stateDir, string? token, int? intervalSeconds, string[] extra)
    {
        List<string> args = ["run", "--server", server.ToString(), "--name", name, "--role", role, "--state-dir", stateDir];
        if (server.Scheme == Uri.UriSchemeHttp)
            args.Add("--insecure-http"); // the lab's dashboard listens on loopback http
        if (intervalSeconds is { } interval)
            args.AddRange(["--interval", interval.ToString(CultureInfo.InvariantCulture)]);
        if (token is not null)
            args.AddRange(["--enroll-token", token]);
        args.AddRange(extra);
        return args;
    }

    /// <summary>What the Agents page's Revoke does to the row (the live connection is left to notice by itself).</summary>
    public async Task RevokeAsync(string agentName)
    {
        await using var db = await OpenDatabaseAsync();
        await ExecAsync(db, $"UPDATE Agents SET RevokedAt = {DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()} WHERE Name = '{agentName.Replace("'", "''", StringComparison.Ordinal)}'");
    }

    /// <summary>The matrix cells of one agent: target port → latest verdict and reason.</summary>
    public async Task<Dictionary<int, (int Verdict, int Reason)>> LatestByPortAsync(string agentName)
    {
        await using var db = await OpenDatabaseAsync();
        await using var command = db.CreateCommand();
        command.CommandText = "SELECT t.Port, l.Verdict, l.Reason FROM LatestResults l JOIN Agents a ON a.Id = l.AgentId JOIN Targets t ON t.Id = l.TargetId WHERE a.Name = $name AND t.RetiredAt IS NULL";
        command.Parameters.AddWithValue("$name", agentName);
        var map = new Dictionary<int, (int, int)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            map[reader.GetInt32(0)] = (reader.GetInt32(1), reader.GetInt32(2));
        return map;
    }

    /// <summary>How many results the agent has stored per target port (each one probe of that target).</summary>
    public async Task<Dictionary<int, int>> ResultCountsByPortAsync(string agentName)
    {
        await using var db = await OpenDatabaseAsync();
        await using var command = db.CreateCommand();
        command.CommandText = "SELECT t.Port, COUNT(*) FROM Results r JOIN Agents a ON a.Id = r.AgentId JOIN Targets t ON t.Id = r.TargetId WHERE a.Name = $name GROUP BY t.Port";
        command.Parameters.AddWithValue("$name", agentName);
        var counts = new Dictionary<int, int>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            counts[reader.GetInt32(0)] = reader.GetInt32(1);
        return counts;
    }

    /// <summary>The OS the agent reported at enrolment and heartbeat, or null before it enrolled.</summary>
    public async Task<string?> AgentOsAsync(string agentName)
    {
        await using var db = await OpenDatabaseAsync();
        await using var command = db.CreateCommand();
        command.CommandText = "SELECT Os FROM Agents WHERE Name = $name";
        command.Parameters.AddWithValue("$name", agentName);
        return await command.ExecuteScalarAsync() as string;
    }

    /// <summary>The agent's id in the dashboard's database.</summary>
    public async Task<int> AgentIdAsync(string agentName)
    {
        await using var db = await OpenDatabaseAsync();
        await using var command = db.CreateCommand();
        command.CommandText = "SELECT Id FROM Agents WHERE Name = $name";
        command.Parameters.AddWithValue("$name", agentName);
        return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The agent's sweeps as the dashboard filed them from its passes: finished or not, and how many results each holds.</summary>
    public async Task<IReadOnlyList<(long Id, bool Finished, int TargetCount, int Results)>> SweepsAsync(string agentName)
    {
        await using var db = await OpenDatabaseAsync();
        await using var command = db.CreateCommand();
        command.CommandText = """
            SELECT s.Id, s.FinishedAt IS NOT NULL, s.TargetCount, (SELECT COUNT(*) FROM Results r WHERE r.SweepId = s.Id)
            FROM Sweeps s JOIN Agents a ON a.Id = s.AgentId WHERE a.Name = $name ORDER BY s.Id
            """;
        command.Parameters.AddWithValue("$name", agentName);
        var sweeps = new List<(long, bool, int, int)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            sweeps.Add((reader.GetInt64(0), reader.GetBoolean(1), reader.GetInt32(2), reader.GetInt32(3)));
        return sweeps;
    }

    /// <summary>Result ids stored for the agent, and how many rows (to catch duplicates).</summary>
    public async Task<(HashSet<Guid> Ids, int Rows)> StoredResultsAsync(string agentName)
    {
        await using var db = await OpenDatabaseAsync();
        await using var command = db.CreateCommand();
        command.CommandText = "SELECT r.ResultId FROM Results r JOIN Agents a ON a.Id = r.AgentId WHERE a.Name = $name";
        command.Parameters.AddWithValue("$name", agentName);
        var ids = new HashSet<Guid>();
        var rows = 0;
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(Guid.Parse(reader.GetString(0)));
            rows++;
        }
        return (ids, rows);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var child in _children)
            child.Dispose();
        foreach (var listener in _listeners)
            listener.Stop();
        SqliteConnection.ClearAllPools();
        Tls?.Dispose();
        _stop.Dispose();
        // Logs and databases stay for a look when ARCBRIDGE_KEEP_E2E is set.
        if (Environment.GetEnvironmentVariable("ARCBRIDGE_KEEP_E2E") is null)
        {
            try
            {
                Directory.Delete(Folder, recursive: true);
            }
            catch (IOException)
            {
                // a child still flushing its log; the temp folder is harmless
            }
        }
    }

    private async Task<SqliteConnection> OpenDatabaseAsync()
    {
        var db = new SqliteConnection($"Data Source={DatabasePath};Default Timeout=30;Pooling=False");
        await db.OpenAsync();
        return db;
    }

    private async Task AcceptForeverAsync(TcpListener listener, bool readFirst = false)
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await listener.AcceptTcpClientAsync(_stop.Token);
                if (readFirst)
                    _ = CloseAfterFirstBytesAsync(client);
                else
                    client.Dispose();
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // lab shut down
        }
    }

    /// <summary>Closes once the client has sent something (or after 10 s), so a TLS client always sees the end of the stream.</summary>
    private async Task CloseAfterFirstBytesAsync(TcpClient client)
    {
        using var connection = client;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            _ = await connection.GetStream().ReadAsync(new byte[4096], timeout.Token); // any bytes will do: the ClientHello has begun
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // the client went away first, or the lab shut down
        }
    }

    private static async Task ExecAsync(SqliteConnection db, string sql)
    {
        await using var command = db.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> ScalarAsync<T>(SqliteConnection db, string sql)
    {
        await using var command = db.CreateCommand();
        command.CommandText = sql;
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
