using System.Security.Cryptography.X509Certificates;
using ArcBridgeDashboard.Probes.Tests.Support;

namespace ArcBridgeDashboard.Probes.Tests.Tls;

/// <summary>One lab PKI per test class: a "public" root (passed as expected root) with an issuing CA, and an "inspecting" root.</summary>
public sealed class LabPki
{
    public X509Certificate2 PublicRoot { get; } = CertFactory.CreateRoot("Lab Public Root G1");
    public X509Certificate2 PublicIssuer { get; }
    public X509Certificate2 InspectingRoot { get; } = CertFactory.CreateRoot("Contoso Inspection CA");

    public LabPki() => PublicIssuer = CertFactory.CreateIntermediate(PublicRoot, "Lab Public TLS Issuing CA 01");

    public X509Certificate2 PublicLeaf(string name = "127.0.0.1", DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
        => CertFactory.CreateLeaf(PublicIssuer, [name], notBefore, notAfter);
}
