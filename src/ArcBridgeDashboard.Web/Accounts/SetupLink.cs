using System.Security.Cryptography;
using System.Text;
using ArcBridgeDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ArcBridgeDashboard.Web.Accounts;

/// <summary>
/// The one-time link that creates the first Admin. There is no default password: on a start with no user a random
/// token is made, kept in memory only (a restart makes a new one) and logged as a /setup link; it works once, until it expires.
/// </summary>
public sealed partial class SetupLink(IOptions<AuthOptions> options, TimeProvider time, ILogger<SetupLink> logger)
{
    public const string Path = "/setup";
    private readonly Lock _gate = new();
    private byte[]? _hash;
    private DateTimeOffset _expiresAt;

    /// <summary>Makes a new token and returns it (the caller logs the link).</summary>
    public string Issue()
    {
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        lock (_gate)
        {
            _hash = SHA256.HashData(Encoding.UTF8.GetBytes(token));
            _expiresAt = time.GetUtcNow() + options.Value.SetupLinkLifetime;
        }
        return token;
    }

    public bool IsOpen
    {
        get
        {
            lock (_gate)
                return _hash is not null && time.GetUtcNow() < _expiresAt;
        }
    }

    /// <summary>True when <paramref name="token"/> is the live token (compared in constant time); it is not used up.</summary>
    public bool Matches(string? token)
    {
        if (string.IsNullOrEmpty(token))
            return false;
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(token));
        lock (_gate)
            return _hash is not null && time.GetUtcNow() < _expiresAt && CryptographicOperations.FixedTimeEquals(hash, _hash);
    }

    /// <summary>Uses the token up: true for exactly one caller holding the live token.</summary>
    public bool TryConsume(string? token)
    {
        lock (_gate)
        {
            if (!Matches(token))
                return false;
            _hash = null;
            return true;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No user exists yet. Create the first Admin within {Lifetime} at {SetupPath}?token={Token} (one use; a restart makes a new link)")]
    public partial void LogIssued(TimeSpan lifetime, string setupPath, string token);
}

/// <summary>After migrations: when the database has no user, issues and logs the setup link.</summary>
public sealed class SetupLinkIssuer(IDbContextFactory<ArcBridgeDbContext> contexts, SetupLink link, IOptions<AuthOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (await db.Users.AnyAsync(cancellationToken))
            return;
        link.LogIssued(options.Value.SetupLinkLifetime, SetupLink.Path, link.Issue());
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
