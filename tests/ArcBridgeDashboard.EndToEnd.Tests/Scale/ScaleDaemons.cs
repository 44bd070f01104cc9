using System.Text.RegularExpressions;
using ArcBridgeDashboard.Testing;

namespace ArcBridgeDashboard.EndToEnd.Tests.Scale;

/// <summary>
/// Debian's nginx in the foreground with the shipped deploy/nginx/arcbridge.conf, its upstream rewritten to the test
/// replicas and its listener to 127.0.0.1 on a free port. Each answer names the replica that served it
/// (X-Test-Upstream: the test's own addition, so a test can tell replicas apart).
/// </summary>
public sealed class NginxProxy : IDisposable
{
    private readonly DaemonProcess _server;
    private readonly string _folder;

    public NginxProxy(string folder, IReadOnlyList<Uri> replicas)
    {
        _folder = folder;
        Directory.CreateDirectory(folder);
        if (OperatingSystem.IsLinux())
            File.SetUnixFileMode(folder, (UnixFileMode)0b111_111_111); // the worker (user nobody) writes its temp files here
        Port = Ports.FreeTcp();
        var site = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "deploy", "nginx", "arcbridge.conf"));
        site = ConfigFor(site, Port, replicas);
        File.WriteAllText(Path.Combine(folder, "arcbridge.conf"), site);
        File.WriteAllText(Path.Combine(folder, "nginx.conf"), $$"""
            pid {{folder}}/nginx.pid;
            error_log {{folder}}/error.log info;
            events { worker_connections 256; }
            http {
                access_log {{folder}}/access.log;
                client_body_temp_path {{folder}}/client_body;
                proxy_temp_path {{folder}}/proxy;
                fastcgi_temp_path {{folder}}/fastcgi;
                uwsgi_temp_path {{folder}}/uwsgi;
                scgi_temp_path {{folder}}/scgi;
                include {{folder}}/arcbridge.conf;
            }
            """);
        _server = DaemonProcess.Start("/usr/sbin/nginx", ["-c", Path.Combine(folder, "nginx.conf"), "-p", folder, "-g", "daemon off;"]);
        _server.WaitForTcpPort(Port);
    }

    public int Port { get; }
    public Uri Url => new($"http://127.0.0.1:{Port}");
    public string ErrorLog => File.Exists(Path.Combine(_folder, "error.log")) ? File.ReadAllText(Path.Combine(_folder, "error.log")) : "";

    /// <summary>The shipped site configuration with the test's listener and replicas (and the upstream header).</summary>
    public static string ConfigFor(string site, int port, IReadOnlyList<Uri> replicas)
    {
        var servers = string.Join("\n", replicas.Select(r => $"    server {r.Host}:{r.Port} max_fails=1 fail_timeout=10s;"));
        var upstream = new Regex(@"(upstream arcbridge_dashboard \{[^}]*?consistent;\n)(?:\s*server [^\n]+\n)+");
        if (!upstream.IsMatch(site))
            throw new InvalidOperationException("deploy/nginx/arcbridge.conf has no upstream arcbridge_dashboard with a hash … consistent line and server lines");
        site = upstream.Replace(site, m => m.Groups[1].Value + servers + "\n", 1);
        if (!site.Contains("listen 80;", StringComparison.Ordinal))
            throw new InvalidOperationException("deploy/nginx/arcbridge.conf has no 'listen 80;'");
        site = site.Replace("listen 80;", $"listen 127.0.0.1:{port};", StringComparison.Ordinal);
        return site.Replace("proxy_pass http://arcbridge_dashboard;", "proxy_pass http://arcbridge_dashboard;\n        add_header X-Test-Upstream $upstream_addr always;", StringComparison.Ordinal);
    }

    public void Dispose() => _server.Dispose();
}
