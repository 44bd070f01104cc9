using System.Globalization;
using System.Text.Json;
using ArcBridgeDashboard.Agent.Check;
using ArcBridgeDashboard.Agent.Tests.Support;
using ArcBridgeDashboard.Testing;
using Microsoft.Extensions.Configuration;

namespace ArcBridgeDashboard.Agent.Tests.Check;

/// <summary>Real sweeps against loopback peers: a TLS listener with a test-made chain, and a closed port.</summary>
public sealed class CheckLoopbackTests : IDisposable
{
    private readonly AllowlistFiles _files = new();
    private readonly TestCertificates _certificates = new();

    private static async Task<(int Exit, JsonElement Json, string Err)> RunJson(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await CheckCommand.RunAsync([.. args, "--format", "json", "--role", "ApplianceVm", "--blob-registry", "off", "--revocation-defaults", "off", "--timeout", "20"],
            stdout, stderr, new ConfigurationBuilder().Build());
        Assert.True(stdout.ToString().StartsWith('{'), $"stdout: {stdout}\nstderr: {stderr}");
        using var json = JsonDocument.Parse(stdout.ToString());
        return (exit, json.RootElement.Clone(), stderr.ToString());
    }

    [Fact]
    public async Task RunAsync_TlsEndpointWithTrustedLabRoot_Exits0()
    {
        await using var server = new LoopbackTlsServer(_certificates.Server);
        var root = _certificates.WriteRootPem(_files.Directory);
        var catalog = _files.Write(("Loopback TLS", server.Port.ToString(CultureInfo.InvariantCulture), "127.0.0.1"));

        var (exit, json, stderr) = await RunJson("--catalog", catalog, "--trust-ca", root, "--expected-root", root);

        var result = json.GetProperty("results")[0];
        Assert.True(exit == 0, $"exit {exit}: {result}\n{stderr}");
        Assert.Equal("Pass", result.GetProperty("verdict").GetString());
        Assert.Equal("127.0.0.1", result.GetProperty("host").GetString());
        Assert.Equal(server.Port, result.GetProperty("port").GetInt32());
        Assert.Equal(1, json.GetProperty("summary").GetProperty("passed").GetInt32());
        // The evidence travels in the JSON: the presented chain and per-phase timings.
        var tls = result.GetProperty("details").GetProperty("tls");
        Assert.Equal("CN=127.0.0.1", tls.GetProperty("chain")[0].GetProperty("subject").GetString());
        Assert.True(result.GetProperty("timingsMs").TryGetProperty("tls", out _), result.GetProperty("timingsMs").ToString());
        Assert.Equal(404, result.GetProperty("details").GetProperty("http").GetProperty("statusCode").GetInt32());
    }

    [Fact]
    public async Task RunAsync_ClosedPort_Exits1WithTcpRefused()
    {
        var port = LoopbackTlsServer.ClosedPort();
        var catalog = _files.Write(("Closed", port.ToString(CultureInfo.InvariantCulture), "127.0.0.1"));

        var (exit, json, _) = await RunJson("--catalog", catalog);

        var result = json.GetProperty("results")[0];
        Assert.Equal(1, exit);
        Assert.Equal("Fail", result.GetProperty("verdict").GetString());
        Assert.Equal("Tcp", result.GetProperty("phase").GetString());
        Assert.Equal("TcpRefused", result.GetProperty("reason").GetString());
        Assert.False(string.IsNullOrWhiteSpace(result.GetProperty("message").GetString()));
    }

    /// <summary>
    /// A root given with --trust-ca but not expected re-signs the endpoint, as an inspecting proxy's root does: check
    /// hands that root over as one PEM certificate and names it, with the Arc setting it belongs to, after the table.
    /// </summary>
    [Fact]
    public async Task RunAsync_InspectedChain_SavesTheInterceptingRootAsOneCertificateAndNamesIt()
    {
        await using var server = new LoopbackTlsServer(_certificates.Server);
        var root = _certificates.WriteRootPem(_files.Directory);
        var catalog = _files.Write(("Loopback TLS", server.Port.ToString(CultureInfo.InvariantCulture), "127.0.0.1"));
        var saved = Path.Combine(_files.Directory, "inspection-root.pem");
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = await CheckCommand.RunAsync(["--catalog", catalog, "--trust-ca", root, "--save-inspection-root", saved,
            "--role", "ApplianceVm", "--blob-registry", "off", "--revocation-defaults", "off", "--timeout", "20"], stdout, stderr, new ConfigurationBuilder().Build());

        Assert.True(exit == 1, $"{stdout}\n{stderr}");
        var pem = File.ReadAllText(saved);
        Assert.Equal(1, pem.Split("-----BEGIN CERTIFICATE-----").Length - 1);
        var written = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(Convert.FromBase64String(
            string.Concat(pem.Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal)))));
        Assert.Equal(_certificates.Root.RawData, written.RawData);
        var sha256 = Convert.ToHexString(_certificates.Root.GetCertHash(System.Security.Cryptography.HashAlgorithmName.SHA256));
        var table = stdout.ToString();
        Assert.Contains($"\"{_certificates.Root.Subject}\" (SHA-256 {sha256})", table);
        Assert.Contains("--proxy-cert", table);
        Assert.Contains("certificateFilePath", table);
        Assert.Contains(saved, stderr.ToString());
    }

    [Fact]
    public async Task RunAsync_InspectedChain_JsonCarriesTheRootInTlsDetails()
    {
        await using var server = new LoopbackTlsServer(_certificates.Server);
        var root = _certificates.WriteRootPem(_files.Directory);
        var catalog = _files.Write(("Loopback TLS", server.Port.ToString(CultureInfo.InvariantCulture), "127.0.0.1"));

        var (_, json, _) = await RunJson("--catalog", catalog, "--trust-ca", root);

        var tls = json.GetProperty("results")[0].GetProperty("details").GetProperty("tls");
        var intercepting = tls.GetProperty("interceptingRoot");
        Assert.Equal(_certificates.Root.Subject, intercepting.GetProperty("subject").GetString());
        Assert.Equal(_certificates.Root.ExportCertificatePem(), intercepting.GetProperty("pem").GetString());
    }

    [Fact]
    public async Task RunAsync_NoInspection_SaveInspectionRootWritesNothingAndSaysSo()
    {
        await using var server = new LoopbackTlsServer(_certificates.Server);
        var root = _certificates.WriteRootPem(_files.Directory);
        var catalog = _files.Write(("Loopback TLS", server.Port.ToString(CultureInfo.InvariantCulture), "127.0.0.1"));
        var saved = Path.Combine(_files.Directory, "inspection-root.pem");

        var (exit, _, stderr) = await RunJson("--catalog", catalog, "--trust-ca", root, "--expected-root", root, "--save-inspection-root", saved);

        Assert.Equal(0, exit);
        Assert.False(File.Exists(saved));
        Assert.Contains("no TLS inspection root was seen", stderr);
    }

    public void Dispose()
    {
        _certificates.Dispose();
        _files.Dispose();
    }
}
