using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace ArcBridgeDashboard.Bench.Agents;

/// <summary>
/// A dashboard process on 127.0.0.1 (HTTP, or HTTPS as deployed) with a temp SQLite file, or a database of its own on a
/// private PostgreSQL cluster (<see cref="PgCluster"/>, started by the lab); targets are loopback only, built-in agent off.
/// </summary>
public sealed class BenchLab : IDisposable
{
    private readonly List<Process> _processes = [];

    /// <param name="https">Serve the dashboard over HTTPS with a self-signed certificate (<see cref="ServerCaPath"/>), as deployed.</param>
    /// <param name="postgres">Run the dashboard on PostgreSQL: a cluster of the lab's own in its folder, stopped and deleted on dispose.</param>
    public BenchLab(string root, bool https = false, bool postgres = false)
    {
        Root = root;
        Folder = Path.Combine(Path.GetTempPath(), "arcbridge-agent-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        DatabasePath = Path.Combine(Folder, "dashboard.db");
        Port = FreePort();
        if (https)
            ServerCaPath = WriteSelfSignedCertificate();
        if (postgres)
        {
            // ARCBRIDGE_BENCH_PG_STATEMENTS=1: pg_stat_statements loaded, and the ingest bench prints the top statements.
            Postgres = PgCluster.Start(Path.Combine(Folder, "pg"),
                Environment.GetEnvironmentVariable("ARCBRIDGE_BENCH_PG_STATEMENTS") == "1" ? ["shared_preload_libraries=pg_stat_statements"] : null);
            Postgres.CreateDatabase("arcbridge");
        }
    }

    /// <summary>The PostgreSQL cluster the dashboard runs on; null on SQLite.</summary>
    public PgCluster? Postgres { get; }
    public string ProviderName => Postgres is null ? "SQLite" : "PostgreSQL";
    /// <summary>The dashboard process (once started).</summary>
    public Process? Dashboard { get; private set; }

    public string Root { get; }
    public string Folder { get; }
    public string DatabasePath { get; }
    public int Port { get; }
    /// <summary>The dashboard's certificate (PEM), for the agent's --server-ca; null over plain HTTP.</summary>
    public string? ServerCaPath { get; }
    public Uri Server => new($"{(ServerCaPath is null ? "http" : "https")}://127.0.0.1:{Port}");

    public async Task StartDashboardAsync(IDictionary<string, string>? extra = null)
    {
        var dll = Path.Combine(Root, "src", "ArcBridgeDashboard.Web", "bin", "Release", "net10.0", "ArcBridgeDashboard.Web.dll");
        var env = new Dictionary<string, string>
        {
            ["ArcBridge__DatabasePath"] = DatabasePath, ["ArcBridge__BuiltInAgentEnabled"] = "false",
            ["ArcBridge__LogDirectory"] = Path.Combine(Folder, "logs"), ["ASPNETCORE_ENVIRONMENT"] = "Production",
            // Request logging at Information for every batch would measure the console, not the ingest.
            ["Serilog__MinimumLevel__Default"] = "Warning",
        };
        if (Postgres is not null)
        {
            env["ArcBridge__Database__Provider"] = "PostgreSql";
            env["ArcBridge__Database__ConnectionString"] = Postgres.ConnectionString("arcbridge", maxPool: 100) + Environment.GetEnvironmentVariable("ARCBRIDGE_BENCH_PG_EXTRA");
        }
        if (ServerCaPath is not null)
            env["Kestrel__Certificates__Default__Path"] = Path.Combine(Folder, "dashboard.pfx");
        foreach (var (k, v) in extra ?? new Dictionary<string, string>())
            env[k] = v;
        Dashboard = Start("dotnet", [dll, "--urls", Server.ToString()], env, Path.Combine(Folder, "dashboard.log"));
        // Readiness only; the agent checks the certificate against ServerCaPath itself.
        using var http = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator });
        for (var i = 0; i < 240; i++)
        {
            try
            {
                if ((await http.GetAsync(new Uri(Server, "/api/agents/plan"))).StatusCode == HttpStatusCode.Unauthorized)
                    return;
            }
            catch (HttpRequestException)
            {
                // not up yet
            }
            await Task.Delay(250);
        }
        throw new InvalidOperationException("dashboard did not start; see " + Path.Combine(Folder, "dashboard.log"));
    }

    public Process Start(string file, IEnumerable<string> args, IDictionary<string, string> env, string log)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
            info.ArgumentList.Add(a);
        foreach (var (k, v) in env)
            info.Environment[k] = v;
        var p = Process.Start(info)!;
        var writer = new StreamWriter(log) { AutoFlush = true };
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (writer) writer.WriteLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (writer) writer.WriteLine(e.Data); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        _processes.Add(p);
        return p;
    }

    /// <summary>Replaces the catalog's targets with <paramref name="ports"/> on 127.0.0.1 (both roles); returns their keys.</summary>
    public async Task<List<(string EndpointKey, string TargetKey, int Port)>> SeedLoopbackTargetsAsync(IEnumerable<int> ports, int kind = 2)
    {
        await using var db = Open();
        var (endpointId, endpointKey) = await FirstEndpointAsync(db);
        await ExecAsync(db, $"UPDATE \"Targets\" SET \"RetiredAt\" = {DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()} WHERE \"RetiredAt\" IS NULL");
        var keys = new List<(string, string, int)>();
        foreach (var port in ports)
        {
            await ExecAsync(db, $"INSERT INTO \"Targets\" (\"EndpointId\", \"Key\", \"Host\", \"Port\", \"Protocol\", \"Kind\", \"Sources\", \"Required\", \"BypassProxy\", \"ExpansionNote\") VALUES ({endpointId}, '127.0.0.1:{port}/tcp', '127.0.0.1', {port}, 0, {kind}, 3, {True}, {True}, 'bench loopback')");
            keys.Add((endpointKey, $"127.0.0.1:{port}/tcp", port));
        }
        return keys;
    }

    public async Task<string> CreateTokenAsync()
    {
        var token = "abe_bench_" + Guid.NewGuid().ToString("N");
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await using var db = Open();
        await ExecAsync(db, $"INSERT INTO \"EnrollmentTokens\" (\"TokenHash\", \"Note\", \"CreatedAt\", \"ExpiresAt\") VALUES ('{hash}', 'bench', {now}, {now + 3_600_000})");
        return token;
    }

    /// <summary>The statements that took PostgreSQL's time (pg_stat_statements, when loaded), top <paramref name="count"/>.</summary>
    public async Task<IReadOnlyList<string>> TopStatementsAsync(int count)
    {
        await using var db = Open();
        await using var c = db.CreateCommand();
        c.CommandText = $"""
            SELECT round(total_exec_time)::bigint, calls, round(mean_exec_time::numeric, 3), left(regexp_replace(query, '\s+', ' ', 'g'), 110)
            FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT {count}
            """;
        var lines = new List<string>();
        await using var r = await c.ExecuteReaderAsync();
        while (await r.ReadAsync())
            lines.Add($"{r.GetInt64(0),8} ms {r.GetInt64(1),8} calls {r.GetDecimal(2),8} ms/call  {r.GetString(3)}");
        return lines;
    }

    public async Task StatementsResetAsync()
    {
        await using var db = Open();
        await ExecAsync(db, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        await ExecAsync(db, "SELECT pg_stat_statements_reset()");
    }

    public async Task<long> CountResultsAsync()
    {
        await using var db = Open();
        await using var c = db.CreateCommand();
        c.CommandText = "SELECT COUNT(*) FROM \"Results\"";
        return Convert.ToInt64(await c.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        foreach (var p in _processes)
        {
            try
            {
                if (!p.HasExited)
                    p.Kill(entireProcessTree: true);
                p.WaitForExit(5000);
            }
            catch (InvalidOperationException)
            {
                // already gone
            }
        }
        SqliteConnection.ClearAllPools();
        Postgres?.Dispose();
    }

    /// <summary>A self-signed certificate (with its key) for 127.0.0.1, usable as its own root.</summary>
    public static X509Certificate2 SelfSignedCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
    }

    /// <summary>The dashboard's certificate (PFX, no password) and the agent's trust anchor for it (PEM).</summary>
    private string WriteSelfSignedCertificate()
    {
        using var certificate = SelfSignedCertificate();
        File.WriteAllBytes(Path.Combine(Folder, "dashboard.pfx"), certificate.Export(X509ContentType.Pfx));
        var pem = Path.Combine(Folder, "dashboard-ca.pem");
        File.WriteAllText(pem, certificate.ExportCertificatePem());
        return pem;
    }

    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private string True => Postgres is null ? "1" : "true";

    private DbConnection Open()
    {
        DbConnection db = Postgres is null
            ? new SqliteConnection($"Data Source={DatabasePath};Default Timeout=30;Pooling=False")
            : new NpgsqlConnection(Postgres.ConnectionString("arcbridge") + ";Pooling=false");
        db.Open();
        return db;
    }

    private async Task<(long, string)> FirstEndpointAsync(DbConnection db)
    {
        await using var c = db.CreateCommand();
        c.CommandText = $"SELECT e.\"Id\", e.\"Key\" FROM \"Endpoints\" e JOIN \"CatalogVersions\" v ON v.\"Id\" = e.\"CatalogVersionId\" WHERE v.\"IsActive\" = {True} ORDER BY e.\"Id\" LIMIT 1";
        await using var r = await c.ExecuteReaderAsync();
        await r.ReadAsync();
        return (Convert.ToInt64(r.GetValue(0), System.Globalization.CultureInfo.InvariantCulture), r.GetString(1));
    }

    private static async Task ExecAsync(DbConnection db, string sql)
    {
        await using var c = db.CreateCommand();
        c.CommandText = sql;
        await c.ExecuteNonQueryAsync();
    }
}
