using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ArcBridgeDashboard.Web.Agents;

/// <param name="Note">The admin's note (where the agent goes), shown with the token so it is clear which one this is.</param>
public sealed record CreatedToken(int Id, string Token, DateTimeOffset ExpiresAt, string? Note = null);

/// <summary>A token that can still enrol an agent (not used, not revoked, not expired); never the token itself.</summary>
public sealed record OpenToken(int Id, string? Note, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);

/// <summary>Outcome of an enrolment: either a credential or an error with the HTTP status it maps to.</summary>
public sealed record EnrollOutcome(EnrollResponse? Response, int Status, string? Error)
{
    public static EnrollOutcome Fail(int status, string error) => new(null, status, error);
}

/// <summary>Enrolment tokens, trading a token for a credential, and revocation.</summary>
public sealed partial class EnrollmentService(
    ArcBridgeDbContext db,
    AgentPresence presence,
    IOptions<AgentOptions> options,
    TimeProvider time,
    Accounts.AuditLog audit,
    ILogger<EnrollmentService> logger)
{
    public async Task<CreatedToken> CreateTokenAsync(string? note, CancellationToken cancellationToken = default)
    {
        var token = AgentSecrets.NewEnrollmentToken();
        var now = time.GetUtcNow();
        var row = new EnrollmentToken
        {
            TokenHash = AgentSecrets.Hash(token), Note = string.IsNullOrWhiteSpace(note) ? null : note.Trim(),
            CreatedAt = now, ExpiresAt = now + options.Value.EnrollmentTokenLifetime,
        };
        db.Set<EnrollmentToken>().Add(row);
        await db.SaveChangesAsync(cancellationToken);
        LogTokenCreated(row.Id, row.ExpiresAt);
        return new CreatedToken(row.Id, token, row.ExpiresAt, row.Note);
    }

    public async Task<EnrollOutcome> EnrollAsync(EnrollRequest request, string? address, CancellationToken cancellationToken = default)
    {
        if (ValidateRequest(request) is { } invalid)
            return EnrollOutcome.Fail(StatusCodes.Status400BadRequest, invalid);
        var now = time.GetUtcNow();
        var hash = AgentSecrets.Hash(request.Token);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var token = await db.Set<EnrollmentToken>().SingleOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
        if (token is null)
            return EnrollOutcome.Fail(StatusCodes.Status401Unauthorized, "The enrolment token is not known. Create a new one on the Agents page.");
        if (token.UsedAt is not null)
            return EnrollOutcome.Fail(StatusCodes.Status401Unauthorized, $"The enrolment token was already used at {token.UsedAt:u}; each token enrols one agent. Create a new one on the Agents page.");
        if (token.RevokedAt is not null)
            return EnrollOutcome.Fail(StatusCodes.Status401Unauthorized, $"The enrolment token was revoked at {token.RevokedAt:u}. Create a new one on the Agents page.");
        if (token.ExpiresAt <= now)
            return EnrollOutcome.Fail(StatusCodes.Status401Unauthorized, $"The enrolment token expired at {token.ExpiresAt:u}. Create a new one on the Agents page.");
        var name = request.Name.Trim();
        if (await db.Agents.AnyAsync(a => a.Name == name, cancellationToken))
            return EnrollOutcome.Fail(StatusCodes.Status409Conflict, $"An agent named '{name}' already exists; choose another --name.");

        var agent = new Agent
        {
            Name = name, Role = request.Role, Version = Trim(request.Version, 50), Os = Trim(request.Os, 200),
            Address = address, CreatedAt = now, LastSeenAt = now,
        };
        db.Agents.Add(agent);
        await db.SaveChangesAsync(cancellationToken);
        var credential = AgentSecrets.NewCredential(agent.Id);
        agent.CredentialHash = AgentSecrets.Hash(credential);
        token.UsedAt = now;
        token.UsedByAgentId = agent.Id;
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        LogEnrolled(agent.Id, agent.Name, agent.Role, token.Id);
        // The agent acted, on the authority of whoever created the token: the entry names both (never the token).
        var creator = await audit.TokenCreatorAsync(token.Id, cancellationToken);
        await audit.WriteAsync($"agent:{agent.Name}", Accounts.AuditActions.AgentEnrolled,
            $"agent {agent.Id} '{agent.Name}' ({agent.Role}) with enrolment {Accounts.AuditLog.TokenDetail(token.Id)}"
            + (creator is null ? "" : $" created by {creator}") + (token.Note is null ? "" : $" ({token.Note})"),
            address, cancellationToken);
        return new EnrollOutcome(new EnrollResponse { AgentId = agent.Id, Name = agent.Name, Credential = credential }, StatusCodes.Status200OK, null);
    }

    /// <summary>Tokens handed out that can still enrol an agent, newest first.</summary>
    public async Task<IReadOnlyList<OpenToken>> ListOpenTokensAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var open = await db.Set<EnrollmentToken>().AsNoTracking()
            .Where(t => t.UsedAt == null && t.RevokedAt == null)
            .Select(t => new OpenToken(t.Id, t.Note, t.CreatedAt, t.ExpiresAt))
            .ToListAsync(cancellationToken);
        // Compared here: SQLite stores the times as numbers EF cannot order or compare with an offset in SQL.
        return [.. open.Where(t => t.ExpiresAt > now).OrderByDescending(t => t.CreatedAt)];
    }

    /// <returns>False when the token is unknown, already used or already revoked.</returns>
    public async Task<bool> RevokeTokenAsync(int tokenId, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var changed = await db.Set<EnrollmentToken>()
            .Where(t => t.Id == tokenId && t.UsedAt == null && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), cancellationToken);
        if (changed > 0)
            LogTokenRevoked(tokenId);
        return changed > 0;
    }

    /// <returns>False when there is no such remote agent.</returns>
    public async Task<bool> RevokeAsync(int agentId, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var changed = await db.Agents
            .Where(a => a.Id == agentId && !a.IsBuiltIn && a.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.RevokedAt, now), cancellationToken);
        if (changed > 0)
        {
            presence.Abort(agentId); // the hub connection was authenticated before; close it now
            LogRevoked(agentId);
        }
        return changed > 0;
    }

    private static string? ValidateRequest(EnrollRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.Token))
            return "token is required.";
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Trim().Length > 200)
            return "name is required and must be at most 200 characters.";
        if (request.Role is not (Sources.ManagementMachine or Sources.ApplianceVm))
            return "role must be ManagementMachine or ApplianceVm.";
        return null;
    }

    private static string? Trim(string? value, int max) =>
        string.IsNullOrWhiteSpace(value) ? null : value.Trim()[..Math.Min(max, value.Trim().Length)];

    [LoggerMessage(Level = LogLevel.Warning, Message = "Enrolment token {TokenId} revoked before use")]
    private partial void LogTokenRevoked(int tokenId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Enrolment token {TokenId} created, expires {ExpiresAt}")]
    private partial void LogTokenCreated(int tokenId, DateTimeOffset expiresAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {AgentId} '{AgentName}' ({Role}) enrolled with token {TokenId}")]
    private partial void LogEnrolled(int agentId, string agentName, Sources role, int tokenId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Agent {AgentId} revoked")]
    private partial void LogRevoked(int agentId);
}
