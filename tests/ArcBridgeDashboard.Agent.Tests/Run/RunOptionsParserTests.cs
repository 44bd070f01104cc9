using ArcBridgeDashboard.Agent.Run;
using ArcBridgeDashboard.Agent.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace ArcBridgeDashboard.Agent.Tests.Run;

/// <summary>`run --trust-ca/--expected-root`: check's loader and messages, from the command line or configuration.</summary>
public sealed class RunOptionsParserTests : IDisposable
{
    private readonly string _folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "arcbridge-run-roots", Guid.NewGuid().ToString("N"))).FullName;
    private readonly TestCertificates _pki = new();

    private static RunOptions Parse(string[]? trustCa = null, string[]? expectedRoots = null)
        => RunOptionsParser.Parse("http://127.0.0.1:9", null, "a", "ApplianceVm", null, null, "/tmp/unused", null, null,
            trustCa: trustCa, expectedRoots: expectedRoots, insecureHttp: true);

    [Fact]
    public void Parse_RootFiles_LoadsEachCertificateOnce()
    {
        var root = _pki.WriteRootPem(_folder);
        var bundle = Path.Combine(_folder, "bundle.pem");
        using var other = new TestCertificates();
        File.WriteAllText(bundle, _pki.Root.ExportCertificatePem() + "\n" + other.Root.ExportCertificatePem());

        var options = Parse(trustCa: [root, bundle], expectedRoots: [root]);

        Assert.Equal([_pki.Root.Thumbprint, other.Root.Thumbprint], options.TrustedRoots.Select(c => c.Thumbprint));
        Assert.Equal([_pki.Root.Thumbprint], options.ExpectedRoots.Select(c => c.Thumbprint));
    }

    [Fact]
    public void Parse_DerRootFile_IsAccepted()
    {
        var der = Path.Combine(_folder, "root.cer");
        File.WriteAllBytes(der, _pki.Root.RawData);

        Assert.Equal(_pki.Root.Thumbprint, Assert.Single(Parse(trustCa: [der]).TrustedRoots).Thumbprint);
    }

    [Fact]
    public void Parse_NoRootFiles_NoRoots()
    {
        var options = Parse();

        Assert.Empty(options.TrustedRoots);
        Assert.Empty(options.ExpectedRoots);
    }

    [Fact]
    public void Parse_GarbageExpectedRoot_UsageErrorNamingTheOptionAndFile()
    {
        var garbage = Path.Combine(_folder, "garbage.pem");
        File.WriteAllText(garbage, "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n");

        var error = Assert.Throws<UsageException>(() => Parse(expectedRoots: [garbage]));

        Assert.StartsWith($"--expected-root: cannot read certificate file '{garbage}'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task Run_ConfiguredTrustCaMissing_ExitCode2NamingTheOption()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Run:TrustCa:0"] = "/nonexistent/corp-root.pem",
        }).Build();
        var stderr = new StringWriter();

        var code = await AgentCli.RunAsync(["run", "--server", "http://127.0.0.1:9", "--insecure-http", "--name", "a", "--role", "ApplianceVm", "--state-dir", _folder],
            new StringWriter(), stderr, configuration);

        Assert.Equal(2, code);
        Assert.StartsWith("error: --trust-ca: cannot read certificate file '/nonexistent/corp-root.pem'", stderr.ToString(), StringComparison.Ordinal);
        Assert.Single(stderr.ToString().TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task Run_CommandLineTrustCa_ReplacesTheConfiguredList()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Run:TrustCa:0"] = "/nonexistent/corp-root.pem",
        }).Build();
        var stderr = new StringWriter();

        // Past option parsing, the next stop is the missing enrolment token: the configured (missing) file was never read.
        var code = await AgentCli.RunAsync(["run", "--server", "http://127.0.0.1:9", "--insecure-http", "--name", "a", "--role", "ApplianceVm", "--state-dir", _folder,
            "--trust-ca", _pki.WriteRootPem(_folder)], new StringWriter(), stderr, configuration);

        Assert.Equal(2, code);
        Assert.Contains("--enroll-token: required on first start", stderr.ToString(), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _pki.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
