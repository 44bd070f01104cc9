namespace ArcBridgeDashboard.Agent.Tests.Run;

/// <summary>`run` refuses bad options with exit code 2 and a message naming the option, before touching the network.</summary>
public sealed class RunUsageTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "arcbridge-run-usage", Guid.NewGuid().ToString("N"));

    [Theory]
    [InlineData("--role", "Toaster", "--role: 'Toaster' must be ApplianceVm or ManagementMachine")]
    [InlineData("--server", "ftp://127.0.0.1", "--server: 'ftp://127.0.0.1' is not the dashboard's URL")]
    [InlineData("--dns-server", "1.2.3", "--dns-server: '1.2.3' is not IP[:PORT]")]
    [InlineData("--interval", "0", "--interval: '0' is not a number of seconds")]
    [InlineData("--plan-refresh", "61", "--plan-refresh: '61' is not a whole number of seconds between 1 and 60")]
    [InlineData("--proxy", "proxy", "--proxy: 'proxy' is not an http:// proxy URL")]
    [InlineData("--trust-ca", "/nonexistent/root.pem", "--trust-ca: cannot read certificate file '/nonexistent/root.pem'")]
    [InlineData("--expected-root", "/nonexistent/root.pem", "--expected-root: cannot read certificate file '/nonexistent/root.pem'")]
    public async Task Run_BadOption_ExitCode2NamingIt(string option, string value, string expected)
    {
        var args = new Dictionary<string, string>
        {
            ["--server"] = "http://127.0.0.1:9", ["--insecure-http"] = "true", ["--name"] = "a", ["--role"] = "ApplianceVm", ["--state-dir"] = _folder,
        };
        args[option] = value;
        var stderr = new StringWriter();

        var code = await AgentCli.RunAsync(["run", .. args.SelectMany(p => new[] { p.Key, p.Value })], new StringWriter(), stderr);

        Assert.Equal(2, code);
        Assert.Contains(expected, stderr.ToString());
        Assert.DoesNotContain("   at ", stderr.ToString());
    }

    [Fact]
    public async Task Run_FirstStartWithoutToken_ExitCode2AskingForOne()
    {
        var stderr = new StringWriter();

        var code = await AgentCli.RunAsync(["run", "--server", "http://127.0.0.1:9", "--insecure-http", "--name", "a", "--role", "ApplianceVm", "--state-dir", _folder], new StringWriter(), stderr);

        Assert.Equal(2, code);
        Assert.Contains("--enroll-token: required on first start", stderr.ToString());
    }

    [Fact]
    public async Task Run_ServerUnreachableAtEnrolment_ExitCode1SoTheServiceManagerRetries()
    {
        var stderr = new StringWriter();

        // Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
        var code = await AgentCli.RunAsync(["run", "--server", "http://127.0.0.1:9", "--insecure-http", "--name", "a", "--role", "ApplianceVm", "--state-dir", _folder, "--enroll-token", "abe_x"], new StringWriter(), stderr);

        Assert.Equal(1, code);
        Assert.Contains("cannot reach", stderr.ToString());
        Assert.False(File.Exists(Path.Combine(_folder, "credential.json")));
    }

    [Fact]
    public async Task Run_PlainHttpServerWithoutInsecureHttp_ExitCode2SayingWhy()
    {
        var stderr = new StringWriter();

        var code = await AgentCli.RunAsync(["run", "--server", "http://127.0.0.1:9", "--name", "a", "--role", "ApplianceVm", "--state-dir", _folder, "--enroll-token", "abe_x"], new StringWriter(), stderr);

        Assert.Equal(2, code);
        Assert.Contains("--server: 'http://127.0.0.1:9/' is plain http", stderr.ToString());
        Assert.Contains("--insecure-http", stderr.ToString());
    }

    [Fact]
    public async Task Run_TokenFromFile_IsUsedForEnrolment()
    {
        Directory.CreateDirectory(_folder);
        var tokenFile = Path.Combine(_folder, "token");
        await File.WriteAllTextAsync(tokenFile, "abe_from-file\n");
        var stderr = new StringWriter();

        // Nothing listens on port 9: reaching the enrolment call (exit 1) shows the file's token was taken.
        var code = await AgentCli.RunAsync(["run", "--server", "http://127.0.0.1:9", "--insecure-http", "--name", "a", "--role", "ApplianceVm", "--state-dir", Path.Combine(_folder, "state"), "--enroll-token-file", tokenFile], new StringWriter(), stderr);

        Assert.Equal(1, code);
        Assert.Contains("cannot reach", stderr.ToString());
        Assert.Contains("--enroll-token-file: cannot read '/nonexistent/token'", await UsageOfAsync("--enroll-token-file", "/nonexistent/token"));
    }

    private async Task<string> UsageOfAsync(string option, string value)
    {
        var stderr = new StringWriter();
        await AgentCli.RunAsync(["run", "--server", "http://127.0.0.1:9", "--insecure-http", "--name", "a", "--role", "ApplianceVm", "--state-dir", _folder, option, value], new StringWriter(), stderr);
        return stderr.ToString();
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
            Directory.Delete(_folder, recursive: true);
    }
}
