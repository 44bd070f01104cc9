using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;

namespace ArcBridgeDashboard.Probes.Tests.Support;

/// <summary>
/// squid-openssl doing real TLS interception (ssl-bump): it terminates every CONNECT tunnel and re-signs the
/// server's certificate with <paramref name="inspectionCa"/>, exactly what corporate inspection proxies do.
/// </summary>
public sealed class SslBumpSquidRunner : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly DaemonProcess _squid;

    public SslBumpSquidRunner(X509Certificate2 inspectionCa)
    {
        Port = Ports.FreeTcp();
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(_dir.Path, (UnixFileMode)0x1FF);
        var (caCert, caKey) = CertFactory.WritePem(inspectionCa, _dir.Path, "inspection-ca");
        var db = _dir.File("ssl_db");
        Run("/usr/lib/squid/security_file_certgen", "-c", "-s", db, "-M", "4MB");
        Run("chown", "-R", "proxy", db, caKey);
        File.WriteAllText(_dir.File("squid.conf"), $"""
            http_port 127.0.0.1:{Port} ssl-bump tls-cert={caCert} tls-key={caKey} generate-host-certificates=on dynamic_cert_mem_cache_size=4MB
            sslcrtd_program /usr/lib/squid/security_file_certgen -s {db} -M 4MB
            sslcrtd_children 2 startup=1 idle=1
            # the lab upstream is signed by a lab root squid does not know
            tls_outgoing_options flags=DONT_VERIFY_PEER
            sslproxy_cert_error allow all
            acl step1 at_step SslBump1
            ssl_bump peek step1
            ssl_bump bump all
            {SquidRunner.CommonDirectives(_dir, "probes-bump")}
            http_access allow localhost
            http_access deny all
            """);
        _squid = DaemonProcess.Start("/usr/sbin/squid", ["-N", "-d1", "-f", _dir.File("squid.conf")]);
        try
        {
            _squid.WaitForTcpPort(Port);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public int Port { get; }
    public Uri Proxy => new($"http://127.0.0.1:{Port}");

    private static void Run(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        if (!process.WaitForExit(20_000) || process.ExitCode != 0)
            throw new InvalidOperationException($"{file} failed: {output}");
    }

    public void Dispose()
    {
        _squid?.Dispose();
        _dir.Dispose();
    }
}
