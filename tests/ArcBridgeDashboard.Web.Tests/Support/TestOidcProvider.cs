using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ArcBridgeDashboard.Web.Tests.Support;

/// <summary>
/// A minimal OpenID provider on a real Kestrel at 127.0.0.1: discovery, JWKS (an RSA key made here), an authorize
/// endpoint that signs in <see cref="NextUser"/> at once and redirects back with a code, and a token endpoint that checks
/// the client secret and the PKCE verifier and issues an RS256 id_token carrying the user's groups and roles and the nonce.
/// </summary>
public sealed class TestOidcProvider : IAsyncDisposable
{
    public const string ClientId = "arcbridge-dashboard";
    public const string ClientSecret = "test-client-secret-not-for-logs";

    public sealed record User(string Subject, string UserName, string[] Groups, string[]? Roles = null);

    private sealed record Grant(User User, string Nonce, string Challenge, string RedirectUri);

    private readonly WebApplication _app;
    private readonly RSA _key = RSA.Create(2048);
    private readonly ConcurrentDictionary<string, Grant> _codes = new();

    private TestOidcProvider(WebApplication app) => _app = app;

    public string Issuer { get; private set; } = "";

    /// <summary>Who the authorize endpoint signs in (a test changes it between sign-ins, as an admin changes groups at the provider).</summary>
    public User NextUser { get; set; } = new("sub-0", "nobody", []);

    /// <summary>The next authorize request is answered error=access_denied (the user said no, or policy refused them).</summary>
    public bool DenyNext { get; set; }

    /// <summary>Id tokens issued so far.</summary>
    public int TokensIssued => _tokensIssued;
    private int _tokensIssued;

    public static async Task<TestOidcProvider> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var provider = new TestOidcProvider(app);
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = provider.Issuer,
            ["authorization_endpoint"] = provider.Issuer + "/authorize",
            ["token_endpoint"] = provider.Issuer + "/token",
            ["jwks_uri"] = provider.Issuer + "/jwks",
            ["response_types_supported"] = new[] { "code" },
            ["subject_types_supported"] = new[] { "public" },
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            ["code_challenge_methods_supported"] = new[] { "S256" },
        }));
        app.MapGet("/jwks", () =>
        {
            var p = provider._key.ExportParameters(false);
            return Results.Json(new { keys = new[] { new { kty = "RSA", use = "sig", alg = "RS256", kid = "test-key", n = Base64UrlEncoder.Encode(p.Modulus), e = Base64UrlEncoder.Encode(p.Exponent) } } });
        });
        app.MapGet("/authorize", (HttpRequest request) => provider.Authorize(request.Query));
        app.MapPost("/token", async (HttpRequest request) => provider.Token(await request.ReadFormAsync()));
        await app.StartAsync();
        provider.Issuer = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return provider;
    }

    private IResult Authorize(IQueryCollection query)
    {
        if (query["client_id"] != ClientId || query["response_type"] != "code" || query["code_challenge_method"] != "S256"
            || !query["scope"].ToString().Split(' ').Contains("openid"))
            return Results.BadRequest("bad authorization request");
        if (DenyNext)
        {
            DenyNext = false;
            return Results.Redirect(QueryHelpers.AddQueryString(query["redirect_uri"].ToString(), new Dictionary<string, string?> { ["error"] = "access_denied", ["state"] = query["state"] }));
        }
        var code = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        _codes[code] = new Grant(NextUser, query["nonce"].ToString(), query["code_challenge"].ToString(), query["redirect_uri"].ToString());
        return Results.Redirect(QueryHelpers.AddQueryString(query["redirect_uri"].ToString(), new Dictionary<string, string?> { ["code"] = code, ["state"] = query["state"] }));
    }

    private IResult Token(IFormCollection form)
    {
        if (form["grant_type"] != "authorization_code" || !_codes.TryRemove(form["code"].ToString(), out var grant))
            return Results.Json(new { error = "invalid_grant" }, statusCode: 400);
        if (form["client_id"] != ClientId || form["client_secret"] != ClientSecret)
            return Results.Json(new { error = "invalid_client" }, statusCode: 401);
        var challenge = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(form["code_verifier"].ToString())));
        if (challenge != grant.Challenge || form["redirect_uri"] != grant.RedirectUri)
            return Results.Json(new { error = "invalid_grant", error_description = "PKCE or redirect_uri mismatch" }, statusCode: 400);
        var accessToken = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var claims = new Dictionary<string, object>
        {
            ["sub"] = grant.User.Subject,
            ["preferred_username"] = grant.User.UserName,
            ["nonce"] = grant.Nonce,
            ["groups"] = grant.User.Groups,
            ["at_hash"] = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(accessToken))[..16]),
        };
        if (grant.User.Roles is { } roles)
            claims["roles"] = roles;
        var now = DateTime.UtcNow;
        var idToken = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = ClientId,
            Claims = claims,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(5),
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(_key) { KeyId = "test-key" }, SecurityAlgorithms.RsaSha256),
        });
        Interlocked.Increment(ref _tokensIssued);
        return Results.Json(new { access_token = accessToken, token_type = "Bearer", expires_in = 300, id_token = idToken });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _key.Dispose();
    }
}
