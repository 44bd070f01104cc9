using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using SmtpServer;
using SmtpServer.Authentication;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace ArcBridgeDashboard.Web.Tests.Notifications;

/// <summary>A real SMTP server (the SmtpServer package) on 127.0.0.1: records each message and the credentials it was given.</summary>
public sealed class LocalSmtpServer : IAsyncDisposable
{
    private readonly SmtpServer.SmtpServer _server;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;
    private readonly List<MimeMessage> _messages = [];
    private readonly List<(string User, string Password)> _logins = [];
    private readonly SemaphoreSlim _arrived = new(0);

    public LocalSmtpServer()
    {
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        var options = new SmtpServerOptionsBuilder().ServerName("localhost")
            .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)).IsSecure(false).AllowUnsecureAuthentication(true).AuthenticationRequired(false))
            .Build();
        var services = new ServiceCollection()
            .AddSingleton<IMessageStore>(new Store(this))
            .AddSingleton<IUserAuthenticator>(new DelegatingUserAuthenticator((user, password) =>
            {
                lock (_logins)
                    _logins.Add((user, password));
                return true;
            }))
            .BuildServiceProvider();
        _server = new SmtpServer.SmtpServer(options, services);
        _running = _server.StartAsync(_stop.Token);
    }

    public int Port { get; }

    public IReadOnlyList<(string User, string Password)> Logins
    {
        get
        {
            lock (_logins)
                return [.. _logins];
        }
    }

    public IReadOnlyList<MimeMessage> Messages
    {
        get
        {
            lock (_messages)
                return [.. _messages];
        }
    }

    /// <summary>Waits (bounded) for a message whose subject contains <paramref name="subjectPart"/>.</summary>
    public async Task<MimeMessage> WaitForAsync(string subjectPart, int timeoutSeconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (true)
        {
            if (Messages.FirstOrDefault(m => (m.Subject ?? "").Contains(subjectPart, StringComparison.Ordinal)) is { } found)
                return found;
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !await _arrived.WaitAsync(left))
                throw new TimeoutException($"Gave up after {timeoutSeconds} s waiting for a mail about “{subjectPart}”; got: {string.Join(" | ", Messages.Select(m => m.Subject))}");
        }
    }

    private sealed class Store(LocalSmtpServer owner) : MessageStore
    {
        public override Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            var message = MimeMessage.Load(stream, cancellationToken);
            lock (owner._messages)
                owner._messages.Add(message);
            owner._arrived.Release();
            return Task.FromResult(SmtpResponse.Ok);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _server.Shutdown();
        try
        {
            await _running.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException)
        {
        }
    }
}
