using System.Security.Cryptography.X509Certificates;

namespace ArcBridgeDashboard.Probes.Tests.Support;

/// <summary>
/// Debian's nginx in the foreground on 127.0.0.1, as a middlebox in front of a test endpoint: terminates TLS with the
/// given certificate and proxies to the endpoint over TLS. <paramref name="serverExtra"/> adds directives to the server block.
/// </summary>
public sealed class NginxRunner : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly DaemonProcess _nginx;

    public NginxRunner(X509Certificate2 leaf, X509Certificate2[] chain, int upstreamPort, bool http2 = false, string locationExtra = "")
    {
        Port = Ports.FreeTcp();
        var (cert, key) = CertFactory.WritePem(leaf, _dir.Path, "middlebox", chain);
        File.WriteAllText(_dir.File("nginx.conf"), $$"""
            worker_processes 1;
            pid {{_dir.File("nginx.pid")}};
            error_log stderr warn;
            events { worker_connections 64; }
            http {
                access_log off;
                client_body_temp_path {{_dir.Path}}/body;
                proxy_temp_path {{_dir.Path}}/proxy;
                fastcgi_temp_path {{_dir.Path}}/fastcgi;
                uwsgi_temp_path {{_dir.Path}}/uwsgi;
                scgi_temp_path {{_dir.Path}}/scgi;
                server {
                    listen 127.0.0.1:{{Port}} ssl{{(http2 ? " http2" : "")}};
                    ssl_certificate {{cert}};
                    ssl_certificate_key {{key}};
                    location / {
                        proxy_pass https://127.0.0.1:{{upstreamPort}};
                        proxy_ssl_verify off;
                        {{locationExtra}}
                    }
                }
            }
            """);
        _nginx = DaemonProcess.Start("/usr/sbin/nginx", ["-p", _dir.Path, "-c", _dir.File("nginx.conf"), "-g", "daemon off; user root;"]);
        try
        {
            _nginx.WaitForTcpPort(Port);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public int Port { get; }

    public void Dispose()
    {
        _nginx.Dispose();
        _dir.Dispose();
    }
}
