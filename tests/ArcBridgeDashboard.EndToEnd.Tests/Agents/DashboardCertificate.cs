using System.Net;
using System.Security.Cryptography.X509Certificates;
using ArcBridgeDashboard.Testing;

namespace ArcBridgeDashboard.EndToEnd.Tests.Agents;

/// <summary>A test-made root and the dashboard's HTTPS certificate for one IP, as a corporate PKI would issue.</summary>
public sealed class DashboardCertificate : IDisposable
{
    public const string PfxPassword = "e2e";

    private DashboardCertificate(X509Certificate2 root, X509Certificate2 server)
    {
        Root = root;
        Server = server;
    }

    public X509Certificate2 Root { get; }
    public X509Certificate2 Server { get; }

    public static DashboardCertificate Create(IPAddress address)
    {
        var (root, server) = LoopbackTlsServer.CreatePki(address, "ArcBridge E2E Corporate Root");
        return new DashboardCertificate(root, server);
    }

    public string WritePfx(string folder)
    {
        var path = Path.Combine(folder, "dashboard.pfx");
        File.WriteAllBytes(path, Server.Export(X509ContentType.Pfx, PfxPassword));
        return path;
    }

    public string WriteRootPem(string folder)
    {
        var path = Path.Combine(folder, "corporate-root.pem");
        File.WriteAllText(path, Root.ExportCertificatePem());
        return path;
    }

    public void Dispose()
    {
        Root.Dispose();
        Server.Dispose();
    }
}
