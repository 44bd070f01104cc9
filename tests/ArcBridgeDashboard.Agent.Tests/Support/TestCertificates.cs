using System.Security.Cryptography.X509Certificates;
using ArcBridgeDashboard.Testing;

namespace ArcBridgeDashboard.Agent.Tests.Support;

/// <summary>A lab root and a loopback server certificate it signed (<see cref="LoopbackTlsServer.CreatePki"/>), made fresh for each test run.</summary>
internal sealed class TestCertificates : IDisposable
{
    public TestCertificates() => (Root, Server) = LoopbackTlsServer.CreatePki(rootName: "ArcBridge Test Lab Root");

    public X509Certificate2 Root { get; }
    public X509Certificate2 Server { get; }

    public string WriteRootPem(string directory)
    {
        var path = Path.Combine(directory, "lab-root.pem");
        File.WriteAllText(path, Root.ExportCertificatePem());
        return path;
    }

    public void Dispose()
    {
        Root.Dispose();
        Server.Dispose();
    }
}
