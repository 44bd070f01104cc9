using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using ArcBridgeDashboard.Web.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ArcBridgeDashboard.Web.Accounts;

/// <summary>Creates, lists and revokes API keys; the key is returned once and only its hash is stored.</summary>
public sealed class ApiKeyService(IDbContextFactory<ArcBridgeDbContext> contexts, TimeProvider time)
{
    public const string KeyPrefix = "abk_";

    public sealed record Created(int Id, string Name, string Role, string Key);

    public async Task<Created> CreateAsync(string name, string role, string createdBy, CancellationToken cancellationToken = default)
    {
        if (!DashboardRoles.All.Contains(role))
            throw new ArgumentException($"'{role}' is not a role.", nameof(role));
        var key = KeyPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var entity = new ApiKey
        {
            Name = name.Trim(), Role = role, Hash = Hash(key), Prefix = key[..(KeyPrefix.Length + 6)],
            CreatedAt = time.GetUtcNow(), CreatedBy = createdBy,
        };
        db.ApiKeys.Add(entity);
        await db.SaveChangesAsync(cancellationToken);
        return new Created(entity.Id, entity.Name, role, key);
    }

    public async Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.ApiKeys.AsNoTracking().OrderBy(k => k.RevokedAt != null).ThenBy(k => k.Name).ToListAsync(cancellationToken);
    }

    public async Task<string?> RevokeAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id, cancellationToken);
        if (key is null || key.RevokedAt is not null)
            return null;
        key.RevokedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return key.Name;
    }

    /// <summary>The live (not revoked) key with this secret, or null.</summary>
    public async Task<ApiKey?> FindAsync(string key, CancellationToken cancellationToken = default)
    {
        var hash = Hash(key);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var found = await db.ApiKeys.FirstOrDefaultAsync(k => k.Hash == hash && k.RevokedAt == null, cancellationToken);
        if (found is null)
            return null;
        // Last use to the minute is enough to spot an unused key; it spares a write per request.
        var now = time.GetUtcNow();
        if (found.LastUsedAt is null || now - found.LastUsedAt > TimeSpan.FromMinutes(1))
        {
            found.LastUsedAt = now;
            await db.SaveChangesAsync(cancellationToken);
        }
        return found;
    }

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}

/// <summary>
/// "Authorization: ApiKey &lt;key&gt;" or "X-Api-Key: &lt;key&gt;": a principal named "api-key:&lt;name&gt;" holding the key's role.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyService keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";

    public static string? KeyFrom(HttpRequest request)
    {
        if (request.Headers.TryGetValue(HeaderName, out var header) && !string.IsNullOrWhiteSpace(header))
            return header.ToString().Trim();
        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith(SchemeName + " ", StringComparison.OrdinalIgnoreCase)
            ? authorization[(SchemeName.Length + 1)..].Trim()
            : null;
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = KeyFrom(Request);
        if (key is null)
            return AuthenticateResult.NoResult();
        var found = await keys.FindAsync(key, Context.RequestAborted);
        if (found is null)
            return AuthenticateResult.Fail("Unknown or revoked API key.");
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, "api-key:" + found.Name), new Claim(ClaimTypes.Role, found.Role), new Claim("api_key_id", found.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        if (Context.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>() is { } pages)
            pages.Enabled = false;
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return Task.CompletedTask;
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Context.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>() is { } pages)
            pages.Enabled = false;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        await Response.WriteAsync("The API key is unknown or revoked.");
    }
}
