using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ArcBridgeDashboard.Web.Agents;

/// <summary>
/// "Authorization: Bearer abc_{id}_{secret}" (or ?access_token= on the hub, where WebSockets cannot send headers).
/// Looked up on every request, so a revocation takes effect on the very next call.
/// </summary>
public sealed class AgentAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ArcBridgeDbContext db) : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "AgentBearer";
    public const string AgentIdClaim = "arcbridge:agent-id";
    public const string RoleClaim = "arcbridge:agent-role";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var credential = ReadCredential();
        if (credential is null)
            return AuthenticateResult.NoResult();
        if (!AgentSecrets.TryParseCredential(credential, out var agentId))
            return AuthenticateResult.Fail("The credential is not an agent credential.");
        var agent = await db.Agents.AsNoTracking()
            .Where(a => a.Id == agentId && !a.IsBuiltIn)
            .Select(a => new { a.Id, a.Name, a.Role, a.CredentialHash, a.RevokedAt })
            .SingleOrDefaultAsync(Context.RequestAborted);
        if (agent is null || !AgentSecrets.HashEquals(credential, agent.CredentialHash))
            return AuthenticateResult.Fail("Unknown agent credential.");
        if (agent.RevokedAt is not null)
            return AuthenticateResult.Fail($"Agent '{agent.Name}' was revoked at {agent.RevokedAt:u}.");
        var identity = new ClaimsIdentity(
            [
                new Claim(AgentIdClaim, agent.Id.ToString(CultureInfo.InvariantCulture)),
                new Claim(ClaimTypes.Name, agent.Name),
                new Claim(RoleClaim, agent.Role.ToString()),
            ], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure?.Message;
        await Results.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            title: "Agent authentication required",
            detail: failure ?? "Send the agent credential as 'Authorization: Bearer <credential>'.").ExecuteAsync(Context);
    }

    private string? ReadCredential()
    {
        string? header = Request.Headers.Authorization;
        if (header is not null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return header["Bearer ".Length..].Trim();
        if (Request.Path.StartsWithSegments(AgentApi.HubPath) && Request.Query.TryGetValue("access_token", out var token))
            return token.ToString();
        return null;
    }
}

public static class AgentClaims
{
    public static int AgentId(this ClaimsPrincipal user) =>
        int.Parse(user.FindFirstValue(AgentAuthenticationHandler.AgentIdClaim)!, CultureInfo.InvariantCulture);

    public static Sources AgentRole(this ClaimsPrincipal user) =>
        Enum.Parse<Sources>(user.FindFirstValue(AgentAuthenticationHandler.RoleClaim)!);
}
