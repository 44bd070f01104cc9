using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ArcBridgeDashboard.Agent.Check;
using ArcBridgeDashboard.Agent.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace ArcBridgeDashboard.Agent.Tests.Check;

/// <summary>
/// A hostile proxy on loopback answers CONNECT with escape sequences (clear screen, set the terminal title, a fake
/// prompt) and markdown in its status line: the operator's terminal and the ticket get them as inert text.
/// </summary>
public sealed class HostileProxyOutputTests : IDisposable
{
    private const string Hostile = "403 \u001b]0;pwned\u0007\u001b[2J[click](http://evil.example) <img src=x> **Forbidden**";
    private readonly AllowlistFiles _files = new();
    private readonly TcpListener _proxy = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();

    public HostileProxyOutputTests()
    {
        _proxy.Start();
        _ = AnswerAsync();
    }

    private async Task AnswerAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            using var client = await _proxy.AcceptTcpClientAsync(_stop.Token);
            var stream = client.GetStream();
            var buffer = new byte[4096];
            var read = 0;
            // The request head, then the hostile answer.
            while (read < buffer.Length && !Encoding.ASCII.GetString(buffer, 0, read).Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var n = await stream.ReadAsync(buffer.AsMemory(read), _stop.Token);
                if (n == 0)
                    break;
                read += n;
            }
            await stream.WriteAsync(Encoding.UTF8.GetBytes($"HTTP/1.1 {Hostile}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"), _stop.Token);
        }
    }

    [Theory]
    [InlineData("table")]
    [InlineData("markdown")]
    public async Task Check_ThroughHostileProxy_PrintsItsStatusLineInert(string format)
    {
        var proxyPort = ((IPEndPoint)_proxy.LocalEndpoint).Port;
        var catalog = _files.Write(("Behind the proxy", "443", "mcr.microsoft.com"));
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = await CheckCommand.RunAsync(["--catalog", catalog, "--format", format, "--role", "ApplianceVm", "--blob-registry", "off",
            "--revocation-defaults", "off", "--timeout", "20", "--proxy", $"http://127.0.0.1:{proxyPort.ToString(CultureInfo.InvariantCulture)}"],
            stdout, stderr, new ConfigurationBuilder().Build());

        var text = stdout.ToString();
        Assert.True(exit == 1, $"exit {exit}\n{text}\n{stderr}");
        Assert.Contains("pwned", text, StringComparison.Ordinal); // the proxy's words are shown...
        Assert.DoesNotContain('\u001b', text);                     // ...but no escape reaches the terminal
        Assert.DoesNotContain('\u0007', text);
        // Shown as visible escapes; in markdown those are escaped once more, so the rendered ticket reads \x1b]0;pwned\x07.
        Assert.Contains(format == "markdown" ? "\\\\x1b\\]0;pwned\\\\x07" : "\\x1b]0;pwned\\x07", text, StringComparison.Ordinal);
        if (format == "markdown")
        {
            Assert.DoesNotContain("[click](http", text, StringComparison.Ordinal);
            Assert.DoesNotContain("<img", text, StringComparison.Ordinal);
            Assert.DoesNotContain("**Forbidden**", text, StringComparison.Ordinal);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _proxy.Stop();
        _stop.Dispose();
        _files.Dispose();
    }
}
