using System.Diagnostics;

namespace ArcBridgeDashboard.Testing;

/// <summary>Debian's redis-server on 127.0.0.1 and a free port, nothing saved to disk; killed on dispose.</summary>
public sealed class RedisServer : IDisposable
{
    public const string Binary = "/usr/bin/redis-server";
    private readonly DaemonProcess _server;

    public RedisServer()
    {
        // test.sh installs it with the other Debian packages; a machine still installing gets a bounded wait.
        var waited = Stopwatch.StartNew();
        while (!File.Exists(Binary) && waited.Elapsed < TimeSpan.FromMinutes(2))
            Thread.Sleep(500);
        if (!File.Exists(Binary))
            throw new InvalidOperationException($"{Binary} is missing: install Debian's redis-server (test.sh does).");
        Port = Ports.FreeTcp();
        _server = DaemonProcess.Start(Binary, ["--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no"]);
        _server.WaitForTcpPort(Port);
    }

    public int Port { get; }

    /// <summary>What ArcBridge:Redis:Configuration is set to.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    public void Dispose() => _server.Dispose();
}
