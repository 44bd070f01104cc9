using ArcBridgeDashboard.Agent.Check;
using ArcBridgeDashboard.Agent.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace ArcBridgeDashboard.Agent.Tests.Check;

public sealed class CheckUsageTests : IDisposable
{
    private readonly AllowlistFiles _files = new();

    /// <summary>A catalog whose only row cannot be expanded: even if validation wrongly passed, nothing would leave the machine.</summary>
    private string[] Safe(params string[] args)
        => ["--catalog", _files.Write(("Nowhere", "443", "*.nowhere.test")), "--blob-registry", "off", "--revocation-defaults", "off", .. args];

    private static async Task<(int Exit, string Out, string Err)> Run(string[] args, IConfiguration? configuration = null)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await CheckCommand.RunAsync(args, stdout, stderr, configuration ?? new ConfigurationBuilder().Build());
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Theory]
    [InlineData("--role", "Firewall", "--role: unknown role 'Firewall'")]
    [InlineData("--proxy", "proxy.corp:3128", "--proxy: 'proxy.corp:3128' is not an http:// proxy URL")]
    [InlineData("--dns-server", "10.0.0", "--dns-server: '10.0.0' is not IP[:PORT]")]
    [InlineData("--appliance-vm-ip", "300.1.1.1", "--appliance-vm-ip: '300.1.1.1' is not an IP address")]
    [InlineData("--control-plane-ip", "cp.local", "--control-plane-ip: 'cp.local' is not an IP address")]
    [InlineData("--trust-ca", "/nonexistent/root.pem", "--trust-ca: cannot read certificate file '/nonexistent/root.pem'")]
    [InlineData("--wildcard", "blob=acct.blob.core.windows.net", "--wildcard: 'blob=acct.blob.core.windows.net' is not PATTERN=HOST")]
    [InlineData("--wildcard", "*.blob.core.windows.net=", "--wildcard: '*.blob.core.windows.net=' is not PATTERN=HOST")]
    [InlineData("--timeout", "soon", "--timeout: 'soon' is not a number of seconds")]
    [InlineData("--format", "xml", "--format: unknown format 'xml'")]
    [InlineData("--no-proxy", "*.corp.example", "--no-proxy: '*.corp.example' uses '*'")]
    [InlineData("--cloud", "AzureChina", "--cloud: unknown cloud 'AzureChina' (expected AzureCloud or AzureGovernment)")]
    [InlineData("--private-cloud-address", "vcenter.corp:443", "--private-cloud-address: 'vcenter.corp:443' is not a host name or IP address")]
    [InlineData("--private-cloud-address", "10.0.5", "--private-cloud-address: '10.0.5' is not a host name or IP address")]
    [InlineData("--region", "west europe", "--region: 'west europe' is not an Azure region name")]
    [InlineData("--unknown-flag", "x", "Unrecognized command or argument '--unknown-flag'")]
    public async Task RunAsync_BadOption_Exits2WithOneLineNamingIt(string option, string value, string expected)
    {
        var (exit, stdout, stderr) = await Run(Safe(option, value));

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.StartsWith("error: ", stderr, StringComparison.Ordinal);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_UnreadableCertificateContent_Exits2()
    {
        var path = Path.Combine(_files.Directory, "garbage.crt");
        await File.WriteAllTextAsync(path, "this is not a certificate");

        var (exit, _, stderr) = await Run(Safe("--expected-root", path));

        Assert.Equal(2, exit);
        Assert.Contains($"--expected-root: cannot read certificate file '{path}'", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_CatalogWithAnUnreadableRow_WarnsNamingLineAndColumnAndChecksTheRest()
    {
        var path = _files.Write(("Good", "443", "a.example.test"), ("Bad port", "https", "b.example.test"));

        var (_, stdout, stderr) = await Run(["--catalog", path, "--blob-registry", "off", "--revocation-defaults", "off", "--format", "json"]);

        Assert.Contains("warning: catalog line 9, column 11: port 'https' is not a number from 1 to 65535: the row was not imported", stderr, StringComparison.Ordinal);
        Assert.Contains("a.example.test", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("b.example.test", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_CatalogThatIsNoAllowlist_Exits2()
    {
        var path = Path.Combine(_files.Directory, "notes.md");
        await File.WriteAllTextAsync(path, "# Meeting notes\n\nNo table here.\n");

        var (exit, stdout, stderr) = await Run(["--catalog", path, "--blob-registry", "off", "--revocation-defaults", "off"]);

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.StartsWith($"error: --catalog: {path}: line 1, column 1: no markdown table", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ProxyPasswordWithoutUser_Exits2()
    {
        var (exit, _, stderr) = await Run(Safe("--proxy", "http://127.0.0.1:3128", "--proxy-password", "secret"));

        Assert.Equal(2, exit);
        Assert.Contains("--proxy-password: given without --proxy-user", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_BadRoleFromConfiguration_Exits2()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Check:Role"] = "Router" }).Build();

        var (exit, _, stderr) = await Run(Safe(), configuration);

        Assert.Equal(2, exit);
        Assert.Contains("--role: unknown role 'Router'", stderr, StringComparison.Ordinal);
    }

    public void Dispose() => _files.Dispose();
}
